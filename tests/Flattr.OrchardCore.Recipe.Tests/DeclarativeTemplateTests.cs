using System.Text.Json.Nodes;
using Flattr.Buttons;
using Flattr.OrchardContent;

namespace Flattr.OrchardCore.Recipe.Tests;

/// <summary>
/// The recipe-only edition's path through the same <c>FlattrPart.liquid</c>: no compiled code, so no signed link. The
/// button links to the address an editor entered (<c>FlattrPart.FlattrUrl</c>), only when it is on the site's Hub, and
/// is otherwise the same HTML as <see cref="ButtonRenderer.RenderButton"/> (without a count, which only sync knows).
/// </summary>
public sealed class DeclarativeTemplateTests
{
    private const string ThingPage = "https://hub.example.net/things/01JB7ZQ4?from=workshop&lang=en";

    private static JsonObject Site(string? buttonStyle = "Default", string hubUrl = "https://hub.example.net/") => new()
    {
        [FlattrCreatorSettings.SectionName] = new JsonObject
        {
            ["HubUrl"] = hubUrl,
            ["DefaultCreatorId"] = "workshop",
            ["DefaultCreatorName"] = "The Workshop",
            ["CreatorMode"] = "SiteCreator",
            ["DefaultEnabled"] = true,
            ["ButtonStyle"] = buttonStyle,
        },
    };

    private static JsonObject Item(string fixture = "blog-post.published.json", string? flattrUrl = ThingPage)
    {
        var item = Paths.Fixture(fixture);
        if (item[OrchardContentMapper.PartName] is JsonObject part && flattrUrl is not null)
        {
            part["FlattrUrl"] = new JsonObject { ["Text"] = flattrUrl };
        }

        return item;
    }

    private static Task<string> RenderAsync(JsonObject item, JsonObject? site) =>
        OrchardLiquid.RenderDeclarativeAsync(new ContentPartShape { ContentItem = ContentItemStandIn.FromStoredJson(item) }, site);

    [Theory]
    [InlineData("Default", ButtonStyle.Default)]
    [InlineData("Compact", ButtonStyle.Compact)]
    [InlineData("Text", ButtonStyle.Text)]
    [InlineData(null, ButtonStyle.Default)]
    public async Task Render_ItemWithAnAddressOnTheHub_IsTheRenderersHtmlInTheSitesStyle(string? configured, ButtonStyle style)
    {
        var html = await RenderAsync(Item(), Site(configured));

        var expected = ButtonRenderer.RenderButton(
            new ButtonContent(new Uri(ThingPage), "Mending a bicycle wheel by the roadside", "The Workshop"), style);
        HtmlTree.AssertSame(expected, html);
    }

    [Fact]
    public async Task Render_ItemWithItsOwnCreator_NamesNoCreatorAsTheModuleDoes()
    {
        var html = await RenderAsync(Item("podcast-episode.creator-override.json"), Site());

        var expected = ButtonRenderer.RenderButton(
            new ButtonContent(new Uri(ThingPage), "\u00c9pisode 12 \u2014 \u00c7a roule : r\u00e9parer sa roue \U0001F6B2", CreatorName: null));
        HtmlTree.AssertSame(expected, html);
    }

    [Fact]
    public async Task Render_TitleWithMarkupAndQuotes_IsEncodedOnce()
    {
        var item = Item();
        item["DisplayText"] = "Wheels & \"spokes\" <script>alert(1)</script>";

        var html = await RenderAsync(item, Site());

        HtmlTree.AssertSame(
            ButtonRenderer.RenderButton(new ButtonContent(new Uri(ThingPage), "Wheels & \"spokes\" <script>alert(1)</script>", "The Workshop")),
            html);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_PartAttachedAfterTheItemWasSaved_FollowsTheSitesDefault()
    {
        var item = Item("article.part-attached-later.json");
        var site = Site();

        var shown = await RenderAsync(item, site);
        site[FlattrCreatorSettings.SectionName]!["DefaultEnabled"] = false;
        var hidden = await RenderAsync(item, site);

        Assert.Contains("flattr-button", shown, StringComparison.Ordinal);
        Assert.Equal(string.Empty, hidden.Trim());
    }

    [Theory]
    [InlineData("article.disabled.json", ThingPage)] // switched off by an editor
    [InlineData("blog-post.draft.json", ThingPage)] // a draft shown in preview
    [InlineData("blog-post.published.json", null)] // no address entered
    [InlineData("blog-post.published.json", "   ")]
    [InlineData("blog-post.published.json", "javascript:alert(document.cookie)")]
    [InlineData("blog-post.published.json", "https://evil.example/things/1")] // not the site's Hub
    [InlineData("blog-post.published.json", "https://hub.example.net.evil.example/things/1")] // a look-alike host
    [InlineData("blog-post.published.json", "//hub.example.net/things/1")]
    [InlineData("blog-post.published.json", "https://hub.example.net/")] // the Hub itself is no thing
    public async Task Render_NoSafeAddressOrNotShown_RendersNothing(string fixture, string? flattrUrl)
    {
        Assert.Equal(string.Empty, (await RenderAsync(Item(fixture, flattrUrl), Site())).Trim());
    }

    [Theory]
    [InlineData("")]
    [InlineData("javascript:alert(1)//")]
    [InlineData("hub.example.net")]
    public async Task Render_SiteWithoutAWebAddressForItsHub_RendersNothing(string hubUrl)
    {
        var item = Item(flattrUrl: hubUrl + "/things/1");

        Assert.Equal(string.Empty, (await RenderAsync(item, Site(hubUrl: hubUrl))).Trim());
    }

    [Fact]
    public async Task Render_SiteSettingsNeverImported_RendersNothing()
    {
        Assert.Equal(string.Empty, (await RenderAsync(Item(), site: null)).Trim());
    }

    [Fact]
    public async Task Render_HubAddressWithoutTrailingSlash_StillAcceptsItsThings()
    {
        var html = await RenderAsync(Item(), Site(hubUrl: "https://hub.example.net"));

        Assert.Contains("href=\"https://hub.example.net/things/01JB7ZQ4?from=workshop&amp;lang=en\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ContentOwnerMode_NamesNoCreatorAsTheModuleDoes()
    {
        var site = Site();
        site[FlattrCreatorSettings.SectionName]!["CreatorMode"] = "ContentOwner";

        var html = await RenderAsync(Item(), site);

        HtmlTree.AssertSame(
            ButtonRenderer.RenderButton(new ButtonContent(new Uri(ThingPage), "Mending a bicycle wheel by the roadside")), html);
    }
}
