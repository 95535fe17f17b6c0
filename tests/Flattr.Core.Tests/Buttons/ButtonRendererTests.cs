using System.Xml.Linq;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Flattr.Buttons;

namespace Flattr.Core.Tests.Buttons;

public sealed class ButtonRendererTests
{
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";

    private static readonly Uri Href = new("https://hub.example/flattr?installation=inst-1&thing=post-42&title=Hello%20World&sig=v1%3Dabc");

    private static readonly HtmlParser Parser = new();

    public static TheoryData<ButtonStyle> Styles => new(Enum.GetValues<ButtonStyle>());

    private static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>Every element the fragment produced (the parser's own html, head and body excluded).</summary>
    private static IElement[] Rendered(IHtmlDocument document) =>
        document.All.Where(e => e.LocalName is not ("html" or "head" or "body")).ToArray();

    private static IElement SingleAnchor(IHtmlDocument document) => Assert.Single(document.QuerySelectorAll("a"));

    private static string[] RelTokens(IElement element) =>
        (element.GetAttribute("rel") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [MemberData(nameof(Styles))]
    public void RenderButton_AnyStyle_IsOnePaymentLinkToTheHref(ButtonStyle style)
    {
        var document = Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Hello World"), style));

        var anchor = SingleAnchor(document);
        Assert.Equal(Href.AbsoluteUri, anchor.GetAttribute("href"));
        Assert.Contains("payment", RelTokens(anchor));
        Assert.Contains("Hello World", anchor.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Equal("Flattr \u201cHello World\u201d", anchor.GetAttribute("aria-label"));
        Assert.Contains("flattr-button--" + style.ToString().ToLowerInvariant(), anchor.ClassList);
        // The anchor is the single root: nothing is rendered around it.
        Assert.Same(anchor, Assert.Single(document.Body!.Children));
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void RenderButton_AnyStyle_LoadsNothingAndRunsNothing(ButtonStyle style)
    {
        var html = ButtonRenderer.RenderButton(new ButtonContent(Href, "Hello", "Ann", 7), style);
        var elements = Rendered(Parse(html));

        Assert.NotEmpty(elements);
        // Only a link, text spans and the inline SVG mark: no script, iframe, img, link, style, object, embed, media, ...
        Assert.All(elements, e => Assert.Contains(e.LocalName, new[] { "a", "span", "svg", "path" }));
        foreach (var element in elements)
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.NotEqual("src", attribute.LocalName);
                Assert.NotEqual("srcset", attribute.LocalName);
                Assert.False(attribute.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler {attribute.Name}");
                Assert.DoesNotContain("url(", attribute.Value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("javascript:", attribute.Value, StringComparison.OrdinalIgnoreCase);
            }

            if (element.LocalName != "a")
            {
                Assert.False(element.Attributes.Any(a => a.LocalName == "href"), $"<{element.LocalName}> has an href");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void RenderButton_AnyStyle_HasTheVisibleOrScreenReaderLabel(ButtonStyle style)
    {
        var anchor = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Hello"), style)));

        var label = Assert.Single(anchor.QuerySelectorAll(".flattr-button__label"));
        Assert.Equal("Flattr", label.TextContent);
        Assert.Null(label.GetAttribute("aria-hidden"));
        Assert.Contains("Flattr", anchor.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderButton_Compact_KeepsTheLabelTextVisuallyHiddenForScreenReaders()
    {
        var anchor = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Hello", Count: 3), ButtonStyle.Compact)));

        var label = Assert.Single(anchor.QuerySelectorAll(".flattr-button__label"));
        Assert.Equal("Flattr", label.TextContent);
        // Hidden visually, not from assistive technology: no display:none, visibility:hidden or aria-hidden.
        var style = label.GetAttribute("style") ?? string.Empty;
        Assert.Contains("position:absolute", style, StringComparison.Ordinal);
        Assert.DoesNotContain("display:none", style, StringComparison.Ordinal);
        Assert.DoesNotContain("visibility:hidden", style, StringComparison.Ordinal);
        Assert.Null(label.GetAttribute("aria-hidden"));
    }

    [Fact]
    public void RenderButton_Default_ShowsTheLabelVisibly()
    {
        var anchor = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Hello"))));

        var label = Assert.Single(anchor.QuerySelectorAll(".flattr-button__label"));
        Assert.Null(label.GetAttribute("style"));
        Assert.Contains("flattr-button--default", anchor.ClassList);
    }

    [Theory]
    [InlineData(ButtonStyle.Default)]
    [InlineData(ButtonStyle.Compact)]
    public void RenderButton_PillStyles_HaveTheMarkHiddenFromScreenReaders(ButtonStyle style)
    {
        var anchor = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Hello"), style)));

        var mark = Assert.Single(anchor.QuerySelectorAll("svg"));
        Assert.Equal("true", mark.GetAttribute("aria-hidden"));
        Assert.Equal("false", mark.GetAttribute("focusable"));
        Assert.NotNull(anchor.GetAttribute("style"));
    }

    [Fact]
    public void RenderButton_Text_IsAPlainLinkWithoutMarkOrInlineStyle()
    {
        var anchor = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Hello"), ButtonStyle.Text)));

        Assert.Empty(anchor.QuerySelectorAll("svg"));
        Assert.Null(anchor.GetAttribute("style"));
        Assert.Equal("Flattr", anchor.TextContent);
    }

    [Theory]
    [InlineData(ButtonStyle.Default)]
    [InlineData(ButtonStyle.Compact)]
    public void RenderButton_PillWithCount_ShowsTheCountAndSaysItInTheAccessibleName(ButtonStyle style)
    {
        var anchor = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Hello", Count: 1234), style)));

        var count = Assert.Single(anchor.QuerySelectorAll(".flattr-button__count"));
        Assert.Equal("1234", count.TextContent);
        Assert.Equal("true", count.GetAttribute("aria-hidden"));
        Assert.Equal("Flattr \u201cHello\u201d, 1234 flattrs", anchor.GetAttribute("aria-label"));
    }

    [Fact]
    public void RenderButton_TextWithCount_ShowsTheCountInParentheses()
    {
        var anchor = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Hello", Count: 0), ButtonStyle.Text)));

        var count = Assert.Single(anchor.QuerySelectorAll(".flattr-button__count"));
        Assert.Equal("(0)", count.TextContent);
        Assert.Equal("Flattr \u201cHello\u201d, 0 flattrs", anchor.GetAttribute("aria-label"));
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void RenderButton_NoCount_RendersNoCount(ButtonStyle style)
    {
        var anchor = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Hello", Count: null), style)));

        Assert.Empty(anchor.QuerySelectorAll(".flattr-button__count"));
        Assert.DoesNotContain("flattrs", anchor.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.DoesNotMatch("[0-9]", anchor.TextContent);
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void RenderButton_CreatorName_IsInTheAccessibleName(ButtonStyle style)
    {
        var anchor = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Hello", "Ann Example"), style)));

        Assert.Equal("Flattr \u201cHello\u201d by Ann Example", anchor.GetAttribute("aria-label"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void RenderButton_BlankCreatorName_IsLeftOut(string creator)
    {
        var anchor = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Hello", creator))));

        Assert.Equal("Flattr \u201cHello\u201d", anchor.GetAttribute("aria-label"));
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void RenderButton_HostileTitleAndHref_AreInertAndRoundTripExactly(ButtonStyle style)
    {
        const string title = "\"><script>alert(1)</script>";
        const string creator = "</a><img src=x onerror=alert(2)>";
        var href = new Uri("https://hub.example/flattr?title=\"><script>alert(3)</script>&q=<b>'x'&sig=v1%3D0");

        var html = ButtonRenderer.RenderButton(new ButtonContent(href, title, creator, 5), style);
        var document = Parse(html);

        Assert.Empty(document.QuerySelectorAll("script"));
        Assert.Empty(document.QuerySelectorAll("img"));
        var anchor = SingleAnchor(document);
        Assert.Equal(href.AbsoluteUri, anchor.GetAttribute("href"));
        Assert.Equal($"Flattr \u201c{title}\u201d by {creator}, 5 flattrs", anchor.GetAttribute("aria-label"));
        Assert.All(Rendered(document), e => Assert.Contains(e.LocalName, new[] { "a", "span", "svg", "path" }));
    }

    [Fact]
    public void RenderButton_HrefWithQuotesAndAngleBrackets_KeepsTheExactAbsoluteUri()
    {
        var href = new Uri("https://hub.example/flattr?a=\"1\"&b=<2>&c=%22&d=a+b&e=\u00e9");

        var anchor = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(href, "T"))));

        Assert.Equal(href.AbsoluteUri, anchor.GetAttribute("href"));
        Assert.Equal(href, new Uri(anchor.GetAttribute("href")!));
    }

    [Theory]
    [InlineData("猫の写真と日本語のタイトル")]
    [InlineData("مرحبا بالعالم")]
    [InlineData("Привет, мир")]
    [InlineData("שלום עולם")]
    [InlineData("Ελληνικά")]
    public void RenderButton_NonLatinTitle_IsReadableInTheMarkupAndExactWhenParsed(string title)
    {
        var html = ButtonRenderer.RenderButton(new ButtonContent(Href, title));

        var anchor = SingleAnchor(Parse(html));
        Assert.Equal($"Flattr \u201c{title}\u201d", anchor.GetAttribute("aria-label"));
        // Not turned into numeric character references: a site owner reading the source sees the title.
        Assert.Contains(title, html, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderButton_EmojiTitle_IsExactWhenParsed()
    {
        const string title = "Cats 😺 and family 👩‍👩‍👧";

        var anchor = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, title))));

        Assert.Equal($"Flattr \u201c{title}\u201d", anchor.GetAttribute("aria-label"));
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void RenderButton_GermanLabels_AreUsed(ButtonStyle style)
    {
        var german = new ButtonLabels
        {
            Label = "Flattrn",
            AccessibleName = "\u201e{0}\u201c flattrn",
            AccessibleNameWithCreator = "\u201e{0}\u201c von {1} flattrn",
            CountSuffix = "{0}-mal geflattrt",
        };

        var plain = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Über Bäume"), style, german)));
        var full = SingleAnchor(Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "Über Bäume", "Jörg", 12), style, german)));

        Assert.Equal("\u201eÜber Bäume\u201c flattrn", plain.GetAttribute("aria-label"));
        Assert.Equal("Flattrn", Assert.Single(plain.QuerySelectorAll(".flattr-button__label")).TextContent);
        Assert.Equal("\u201eÜber Bäume\u201c von Jörg flattrn, 12-mal geflattrt", full.GetAttribute("aria-label"));
        Assert.DoesNotContain("flattrs", full.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.DoesNotContain(" by ", full.GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void RenderButton_HostileLabel_IsEncodedAsText()
    {
        var labels = new ButtonLabels { Label = "<b onclick=alert(1)>Give</b>" };

        var document = Parse(ButtonRenderer.RenderButton(new ButtonContent(Href, "T"), ButtonStyle.Default, labels));

        Assert.Empty(document.QuerySelectorAll("b"));
        Assert.Equal("<b onclick=alert(1)>Give</b>", Assert.Single(document.QuerySelectorAll(".flattr-button__label")).TextContent);
    }

    [Fact]
    public void RenderButton_NullContent_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ButtonRenderer.RenderButton(null!));
    }

    [Fact]
    public void RenderHeadLink_WithTitle_IsOnePaymentLinkWithExactHrefAndTitle()
    {
        const string title = "Flattr \"Hello\" <World> & café";

        var document = Parse(ButtonRenderer.RenderHeadLink(Href, title));

        var link = Assert.Single(document.QuerySelectorAll("link"));
        Assert.Equal(["payment"], RelTokens(link));
        Assert.Equal("text/html", link.GetAttribute("type"));
        Assert.Equal(Href.AbsoluteUri, link.GetAttribute("href"));
        Assert.Equal(title, link.GetAttribute("title"));
        Assert.Single(Rendered(document));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void RenderHeadLink_WithoutTitle_HasNoTitleAttribute(string? title)
    {
        var document = Parse(ButtonRenderer.RenderHeadLink(Href, title));

        var link = Assert.Single(document.QuerySelectorAll("link"));
        Assert.False(link.HasAttribute("title"));
        Assert.Equal(Href.AbsoluteUri, link.GetAttribute("href"));
        Assert.Equal(["href", "rel", "type"], link.Attributes.Select(a => a.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RenderHeadLink_HostileHrefAndTitle_StayInsideTheirAttributes()
    {
        var href = new Uri("https://hub.example/flattr?t=\"><script>alert(1)</script>");
        const string title = "\"><script>alert(2)</script><link rel=stylesheet href=https://evil.example/x.css>";

        var document = Parse(ButtonRenderer.RenderHeadLink(href, title));

        Assert.Empty(document.QuerySelectorAll("script"));
        var link = Assert.Single(document.QuerySelectorAll("link"));
        Assert.Equal(href.AbsoluteUri, link.GetAttribute("href"));
        Assert.Equal(title, link.GetAttribute("title"));
    }

    [Fact]
    public void CreateFeedLink_IsAnAtomPaymentLink()
    {
        var element = ButtonRenderer.CreateFeedLink(Href);

        Assert.Equal(AtomNamespace, element.Name.NamespaceName);
        Assert.Equal("link", element.Name.LocalName);
        Assert.Equal("payment", (string?)element.Attribute("rel"));
        Assert.Equal(Href.AbsoluteUri, (string?)element.Attribute("href"));
        Assert.Equal("text/html", (string?)element.Attribute("type"));
        Assert.Equal(3, element.Attributes().Count());
        Assert.True(element.IsEmpty);
    }

    [Fact]
    public void CreateFeedLink_InRssItemWithAtomPrefix_SerialisesAsAtomLink()
    {
        XNamespace atom = AtomNamespace;
        var rss = new XDocument(
            new XElement(
                "rss",
                new XAttribute("version", "2.0"),
                new XAttribute(XNamespace.Xmlns + "atom", AtomNamespace),
                new XElement("channel", new XElement("item", new XElement("title", "Hello"), ButtonRenderer.CreateFeedLink(Href)))));

        var xml = rss.ToString(SaveOptions.DisableFormatting);
        var reparsed = XDocument.Parse(xml);

        Assert.Contains("<atom:link ", xml, StringComparison.Ordinal);
        var item = Assert.Single(reparsed.Descendants("item"));
        var link = Assert.Single(item.Elements(atom + "link"));
        Assert.Equal(Href.AbsoluteUri, (string?)link.Attribute("href"));
        Assert.Equal("payment", (string?)link.Attribute("rel"));
        Assert.Equal("text/html", (string?)link.Attribute("type"));
        // The RSS elements themselves stay in no namespace.
        Assert.Equal(XNamespace.None, item.Name.Namespace);
    }

    [Fact]
    public void CreateFeedLink_InRssItemWithoutPrefix_StillSerialisesInTheAtomNamespace()
    {
        XNamespace atom = AtomNamespace;
        var rss = new XDocument(new XElement("rss", new XElement("channel", new XElement("item", ButtonRenderer.CreateFeedLink(Href)))));

        var reparsed = XDocument.Parse(rss.ToString());

        var link = Assert.Single(reparsed.Descendants(), e => e.Name.LocalName == "link");
        Assert.Equal(atom + "link", link.Name);
        Assert.Equal(Href.AbsoluteUri, (string?)link.Attribute("href"));
    }

    [Fact]
    public void CreateFeedLink_HrefWithAmpersands_RoundTripsThroughXml()
    {
        var href = new Uri("https://hub.example/flattr?a=1&b=<2>&title=%22x%22");
        var document = new XDocument(new XElement("item", ButtonRenderer.CreateFeedLink(href)));

        var reparsed = XDocument.Parse(document.ToString());

        Assert.Equal(href.AbsoluteUri, (string?)reparsed.Root!.Elements().Single().Attribute("href"));
    }
}
