using Flattr.Buttons;
using Flattr.OrchardContent;

namespace Flattr.OrchardCore.Recipe.Tests;

/// <summary>
/// The module's path through <c>FlattrPart.liquid</c>: given the view model Flattr.Core computes, the template lays out
/// the same HTML as <see cref="ButtonRenderer.RenderButton"/> for every style and content.
/// </summary>
public sealed class ButtonTemplateTests
{
    private static readonly Uri SignedHref =
        new("https://hub.example.net/flattr?installation=inst-orchard&thing=4q6r&url=https%3A%2F%2Fwww.example.org%2F&title=A%20%26%20B&sig=v1%3D0a1b");

    public static TheoryData<ButtonStyle, string, string?, long?> Cases()
    {
        var data = new TheoryData<ButtonStyle, string, string?, long?>();
        string[] titles =
        [
            "Mending a bicycle wheel",
            "Wheels & \"spokes\" <b>not bold</b> 'quoted'",
            "\u00c9pisode 12 \u2014 \u00c7a roule \U0001F6B2",
            "{{ Model.Href }} {% raw %}",
        ];
        foreach (var style in Enum.GetValues<ButtonStyle>())
        {
            foreach (var title in titles)
            {
                data.Add(style, title, null, null);
                data.Add(style, title, "The Workshop & Friends", 1234);
            }

            data.Add(style, "Zero", null, 0);
            data.Add(style, "Creator only", "Chlo\u00e9", null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Render_ModuleViewModel_IsTheRenderersHtml(ButtonStyle style, string title, string? creator, long? count)
    {
        var content = new ButtonContent(SignedHref, title, creator, count);

        var html = await OrchardLiquid.RenderModuleAsync(FlattrButtonViewModel.Create(content, style));

        HtmlTree.AssertSame(ButtonRenderer.RenderButton(content, style), html);
    }

    [Fact]
    public async Task Render_TranslatedLabels_AreLaidOutAsTheRendererDoes()
    {
        var labels = new ButtonLabels
        {
            Label = "Flattrer",
            AccessibleName = "Flattrer \u00ab {0} \u00bb",
            AccessibleNameWithCreator = "Flattrer \u00ab {0} \u00bb de {1}",
            CountSuffix = "{0} flattrs",
        };
        var content = new ButtonContent(SignedHref, "Roue", "Chlo\u00e9", 3);

        var html = await OrchardLiquid.RenderModuleAsync(FlattrButtonViewModel.Create(content, ButtonStyle.Compact, labels));

        HtmlTree.AssertSame(ButtonRenderer.RenderButton(content, ButtonStyle.Compact, labels), html);
    }

    [Fact]
    public async Task Render_SubclassOfTheViewModel_ReadsTheSameProperties()
    {
        // Orchard builds a shape from a view model by subclassing it (a proxy); registering the model must cover that.
        var content = new ButtonContent(SignedHref, "Proxy", "Ann", 7);
        var proxy = new ProxiedViewModel();
        proxy.Populate(content, ButtonStyle.Default);

        var html = await OrchardLiquid.RenderModuleAsync(proxy);

        HtmlTree.AssertSame(ButtonRenderer.RenderButton(content), html);
    }

    [Fact]
    public async Task Render_SignedHref_KeepsEveryQueryCharacterOfTheSignature()
    {
        var settings = new FlattrCreatorSettings
        {
            HubUrl = "https://hub.example.net/",
            InstallationId = "inst-orchard",
            ProtectedSecret = "protected",
            DefaultCreatorId = "workshop",
            DefaultCreatorName = "The Workshop",
        };
        var mapping = OrchardContentMapper.Map(Paths.Fixture("podcast-episode.creator-override.json"), settings, new Uri("https://www.example.org/"));
        var model = FlattrButtonViewModel.ForContent(mapping, settings, "secret")!;

        var html = await OrchardLiquid.RenderModuleAsync(model);

        var anchor = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelector("a")!;
        Assert.Equal(model.Href, anchor.GetAttribute("href"));
        Assert.Contains("sig=v1%3D", model.Href, StringComparison.Ordinal);
    }

    /// <summary>What Orchard's shape factory makes of the view model: a subclass.</summary>
    private sealed class ProxiedViewModel : FlattrButtonViewModel;
}
