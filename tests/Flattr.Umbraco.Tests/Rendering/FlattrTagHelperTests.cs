using Flattr.Buttons;
using Flattr.Things;
using Flattr.Umbraco.Content;
using Flattr.Umbraco.Rendering;
using Flattr.Umbraco.Tests.Infrastructure;
using Flattr.Umbraco.Tests.Sync;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using Umbraco.Cms.Core;
using Umbraco.Cms.Core.Models;
using Umbraco.Cms.Core.Models.PublishedContent;
using Umbraco.Cms.Core.Routing;
using Umbraco.Cms.Core.Web;
using static Flattr.Umbraco.Tests.Rendering.RenderingTestKit;

namespace Flattr.Umbraco.Tests.Rendering;

/// <summary>The tag helpers through <c>TagHelperContext</c>/<c>TagHelperOutput</c>, with the HTML parsed by AngleSharp.</summary>
public sealed class FlattrTagHelperTests : IAsyncDisposable
{
    private const string Secret = "site-secret-\u2615";
    private readonly UmbracoTestSite _site = new();

    public ValueTask DisposeAsync() => _site.DisposeAsync();

    private T Helper<T>() => ActivatorUtilities.CreateInstance<T>(_site.Services);

    private string Button(IPublishedContent? content, ButtonStyle? style = null)
    {
        var helper = Helper<FlattrButtonTagHelper>();
        helper.Content = content;
        helper.ButtonStyle = style;
        var (context, output) = Tag("flattr-button");
        helper.Process(context, output);
        return Render(output);
    }

    [Fact]
    public void FlattrButton_EnabledPublishedPage_RendersOneAccessibleLinkSignedForTheHub()
    {
        var page = PublishedModels.Page("Ten years of Flattr", enabled: 1);

        var document = Parse(Button(page));

        var link = Assert.Single(document.QuerySelectorAll("a"));
        Assert.DoesNotContain(document.Body!.Children, e => e.LocalName != "a"); // no wrapper, no flattr-button element
        Assert.Equal("flattr-button flattr-button--default", link.ClassName);
        Assert.Equal("payment nofollow", link.GetAttribute("rel"));
        Assert.Equal("Flattr \u201cTen years of Flattr\u201d by Ann Author", link.GetAttribute("aria-label"));
        var href = link.GetAttribute("href")!;
        Assert.StartsWith("https://hub.example/flattr?", href, StringComparison.Ordinal);
        var thing = VerifiedLink(href, Secret);
        Assert.Equal(("inst-1", ContentThings.ExternalId(page.Key)), (thing.InstallationId, thing.ExternalId));
        Assert.Equal(new Uri($"https://blog.example/posts/{page.Key:N}/"), thing.Url);
        Assert.Equal(ThingCategory.Text, thing.Category);
        Assert.Equal(CreatorResolverTests.AuthorCreatorId(_site.Author), thing.CreatorExternalId);
    }

    [Fact]
    public void FlattrButton_HostileTitleAndUrl_AreEncodedAndStillVerify()
    {
        const string title = "\"><script>alert('t')</script><img src=x onerror=alert(1)> & \u00e9t\u00e9 \U0001F600";
        _site.UrlOf = _ => "https://blog.example/p?q=\"><script>alert(1)</script>&x='y'#<b>";
        var page = PublishedModels.Page(title, enabled: 1);

        var html = Button(page);
        var document = Parse(html);

        Assert.Empty(document.QuerySelectorAll("script"));
        Assert.Empty(document.QuerySelectorAll("img"));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var link = Assert.Single(document.QuerySelectorAll("a"));
        Assert.Contains(title, link.GetAttribute("aria-label"), StringComparison.Ordinal);
        var thing = VerifiedLink(link.GetAttribute("href")!, Secret);
        Assert.Equal(title, thing.Title);
        Assert.Equal("https://blog.example/p?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&x='y'#%3Cb%3E", thing.Url.AbsoluteUri);
    }

    [Fact]
    public void FlattrButton_TitleWithLineBreakAndOverlong_IsCleanedSoTheHubAcceptsIt()
    {
        var page = PublishedModels.Page("Line one\nline two " + new string('x', 300), enabled: 1);

        var thing = VerifiedLink(Parse(Button(page)).QuerySelector("a")!.GetAttribute("href")!, Secret);

        Assert.StartsWith("Line one line two x", thing.Title, StringComparison.Ordinal);
        Assert.Equal(ThingLimits.TitleLength, thing.Title.Length);
    }

    [Fact]
    public void FlattrButton_CreatorOverride_IsInTheSignedLink()
    {
        var page = PublishedModels.Page(enabled: "1", creator: "guest-writer");

        var thing = VerifiedLink(Parse(Button(page)).QuerySelector("a")!.GetAttribute("href")!, Secret);

        Assert.Equal(("guest-writer", null), (thing.CreatorExternalId, thing.CreatorName));
    }

    [Theory]
    [InlineData(ButtonStyle.Compact, "flattr-button flattr-button--compact")]
    [InlineData(ButtonStyle.Text, "flattr-button flattr-button--text")]
    public void FlattrButton_StyleAttribute_OverridesTheSiteStyle(ButtonStyle style, string expectedClass)
    {
        Assert.Equal(expectedClass, Parse(Button(PublishedModels.Page(enabled: 1), style)).QuerySelector("a")!.ClassName);
    }

    [Fact]
    public void FlattrButton_SiteStyleSetting_IsTheDefault()
    {
        _site.Settings["Flattr:ButtonStyle"] = "Text";

        Assert.Equal("flattr-button flattr-button--text", Parse(Button(PublishedModels.Page(enabled: 1))).QuerySelector("a")!.ClassName);
    }

    public static TheoryData<string> NothingRenders => ["switched off", "no toggle", "not published", "draft in preview", "protected", "no url", "element", "no content"];

    [Theory]
    [MemberData(nameof(NothingRenders))]
    public void FlattrButton_ContentWithoutAButton_RendersNothingAtAll(string situation)
    {
        var page = PublishedModels.Page(enabled: 1);
        IPublishedContent? content = situation switch
        {
            "switched off" => PublishedModels.Page(enabled: 0),
            "no toggle" => PublishedModels.Page(withToggle: false),
            "not published" => PublishedModels.NotPublished(page, draft: false),
            "draft in preview" => PublishedModels.NotPublished(page, draft: true),
            "element" => PublishedModels.Page(enabled: 1, itemType: PublishedItemType.Element),
            "no content" => null,
            _ => page,
        };
        if (situation == "protected")
        {
            _site.PublicAccess.IsProtected(page.Path).Returns(Attempt.Succeed<PublicAccessEntry?>(null));
        }

        if (situation == "no url")
        {
            _site.UrlOf = _ => "#";
        }

        Assert.Equal(string.Empty, Button(content));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void FlattrButton_ToggleNeverTouched_FollowsTheSiteDefault(string enabledByDefault, bool renders)
    {
        _site.Settings["Flattr:EnabledByDefault"] = enabledByDefault;

        Assert.Equal(renders, Button(PublishedModels.Page(enabled: null)).Length > 0);
    }

    [Fact]
    public void FlattrButton_NoContentAttribute_UsesThePageUmbracoIsRendering()
    {
        var page = PublishedModels.Page("The current page", enabled: 1);
        var request = Substitute.For<IPublishedRequest>();
        request.PublishedContent.Returns(page);
        var context = Substitute.For<IUmbracoContext>();
        context.PublishedRequest.Returns(request);
        _site.ContextAccessor.TryGetUmbracoContext(out Arg.Any<IUmbracoContext?>()).Returns(call =>
        {
            call[0] = context;
            return true;
        });

        var link = Parse(Button(null)).QuerySelector("a")!;

        Assert.Equal(ContentThings.ExternalId(page.Key), VerifiedLink(link.GetAttribute("href")!, Secret).ExternalId);
    }

    [Fact]
    public void FlattrHead_EnabledPage_RendersThePaymentLinkForTheHead()
    {
        var page = PublishedModels.Page("A <b>bold</b> title", enabled: 1);
        var helper = Helper<FlattrHeadTagHelper>();
        helper.Content = page;
        var (context, output) = Tag("flattr-head");

        helper.Process(context, output);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<!doctype html><html><head>" + Render(output) + "</head></html>");

        var link = Assert.Single(document.Head!.QuerySelectorAll("link"));
        Assert.Equal(("payment", "text/html", "A <b>bold</b> title"), (link.GetAttribute("rel"), link.GetAttribute("type"), link.GetAttribute("title")));
        Assert.Equal(ContentThings.ExternalId(page.Key), VerifiedLink(link.GetAttribute("href")!, Secret).ExternalId);
    }

    [Fact]
    public void FlattrHead_DisabledPage_RendersNothing()
    {
        var helper = Helper<FlattrHeadTagHelper>();
        helper.Content = PublishedModels.Page(enabled: 0);
        var (context, output) = Tag("flattr-head");

        helper.Process(context, output);

        Assert.Equal(string.Empty, Render(output));
    }

    [Theory]
    [InlineData("End", new[] { "p", "a" })]
    [InlineData("Start", new[] { "a", "p" })]
    [InlineData("Both", new[] { "a", "p", "a" })]
    [InlineData("None", new[] { "p" })]
    public void FlattrContent_Placement_PutsTheButtonWhereTheSiteOwnerChose(string placement, string[] expected)
    {
        _site.Settings["Flattr:ButtonPlacement"] = placement;
        var helper = Helper<FlattrContentTagHelper>();
        helper.Content = PublishedModels.Page(enabled: 1);
        var (context, output) = Tag("article", "<p>Body</p>");

        helper.Process(context, output);

        var article = Assert.Single(Parse(Render(output)).QuerySelectorAll("article"));
        Assert.Equal(expected, article.Children.Select(e => e.LocalName));
        Assert.Null(article.GetAttribute("flattr-content"));
    }

    [Fact]
    public void FlattrContent_DisabledPage_LeavesTheArticleUntouched()
    {
        var helper = Helper<FlattrContentTagHelper>();
        helper.Content = PublishedModels.Page(enabled: 0);
        var (context, output) = Tag("article", "<p>Body</p>");

        helper.Process(context, output);

        Assert.Equal("<article><p>Body</p></article>", Render(output));
    }
}
