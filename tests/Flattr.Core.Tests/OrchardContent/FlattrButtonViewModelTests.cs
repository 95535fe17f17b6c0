using System.Web;
using AngleSharp.Html.Parser;
using Flattr.Buttons;
using Flattr.OrchardContent;
using Flattr.Protocol;

namespace Flattr.Core.Tests.OrchardContent;

/// <summary>The model Orchard's Liquid view lays out; the markup itself is compared in Flattr.OrchardCore.Recipe.Tests.</summary>
public sealed class FlattrButtonViewModelTests
{
    private const string Secret = "installation-secret-\u00e9";

    private static readonly Uri Href = new("https://hub.example.net/flattr?installation=i&thing=t&sig=v1%3Dabc");

    [Theory]
    [InlineData(ButtonStyle.Default, "default")]
    [InlineData(ButtonStyle.Compact, "compact")]
    [InlineData(ButtonStyle.Text, "text")]
    public void Create_AnyStyle_CarriesWhatTheRendererPutsInTheMarkup(ButtonStyle style, string modifier)
    {
        var content = new ButtonContent(Href, "Wheels & \u201cspokes\u201d", "The Workshop", 1234);
        var anchor = new HtmlParser().ParseDocument(ButtonRenderer.RenderButton(content, style)).QuerySelector("a")!;

        var model = FlattrButtonViewModel.Create(content, style);

        Assert.Equal(anchor.GetAttribute("href"), model.Href);
        Assert.Equal(anchor.GetAttribute("aria-label"), model.AccessibleName);
        Assert.Contains("flattr-button--" + modifier, anchor.ClassList);
        Assert.Equal(modifier, model.Style);
        Assert.Equal("Flattr", model.Label);
        Assert.Equal("1234", model.Count);
    }

    [Fact]
    public void Create_TranslatedLabels_AreUsedForLabelAndAccessibleName()
    {
        var labels = new ButtonLabels
        {
            Label = "Flattrer",
            AccessibleName = "Flattrer \u00ab {0} \u00bb",
            AccessibleNameWithCreator = "Flattrer \u00ab {0} \u00bb de {1}",
            CountSuffix = "{0} flattrs",
        };

        var model = FlattrButtonViewModel.Create(new ButtonContent(Href, "Roue", "Chlo\u00e9"), ButtonStyle.Text, labels);

        Assert.Equal("Flattrer", model.Label);
        Assert.Equal("Flattrer \u00ab Roue \u00bb de Chlo\u00e9", model.AccessibleName);
        Assert.Null(model.Count);
    }

    [Fact]
    public void ForContent_EligibleItem_LinksToTheHubWithASignatureTheHubVerifies()
    {
        var settings = OrchardFixtures.Settings();
        settings.ButtonStyle = ButtonStyle.Compact;
        var mapping = OrchardContentMapper.Map(OrchardFixtures.Load(OrchardFixtures.BlogPost), settings, OrchardFixtures.SiteBaseUrl);

        var model = FlattrButtonViewModel.ForContent(mapping, settings, Secret)!;

        var href = new Uri(model.Href);
        Assert.StartsWith("https://hub.example.net/flattr?", model.Href, StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(href.Query);
        Assert.True(FlattrLinks.TryRead(name => query[name], out var link, out var signature, out var problem), problem);
        Assert.True(FlattrLinks.Verify(Secret, link!, signature));
        Assert.False(FlattrLinks.Verify("another-secret", link!, signature));
        Assert.Equal("inst-orchard", link!.InstallationId);
        Assert.Equal("4q6rbcvd8w1hm2ez3nphy0kx5t", link.ExternalId);
        Assert.Equal(new Uri("https://www.example.org/blog/mending-a-bicycle-wheel"), link.Url);
        Assert.Equal("workshop", link.CreatorExternalId);
        Assert.Equal("compact", model.Style);
        Assert.Equal("Flattr \u201cMending a bicycle wheel by the roadside\u201d by The Workshop", model.AccessibleName);
    }

    [Theory]
    [InlineData(OrchardFixtures.Draft)]
    [InlineData(OrchardFixtures.Disabled)]
    [InlineData(OrchardFixtures.NoRoute)]
    [InlineData(OrchardFixtures.NoFlattrPart)]
    public void ForContent_ItemThatIsNoThing_HasNoButton(string fixture)
    {
        var settings = OrchardFixtures.Settings();
        var mapping = OrchardContentMapper.Map(OrchardFixtures.Load(fixture), settings, OrchardFixtures.SiteBaseUrl);

        Assert.Null(FlattrButtonViewModel.ForContent(mapping, settings, Secret));
    }

    [Fact]
    public void ForContent_SiteWithoutHubAddress_HasNoButton()
    {
        var settings = OrchardFixtures.Settings();
        var mapping = OrchardContentMapper.Map(OrchardFixtures.Load(OrchardFixtures.BlogPost), settings, OrchardFixtures.SiteBaseUrl);
        settings.HubUrl = null;

        Assert.Null(FlattrButtonViewModel.ForContent(mapping, settings, Secret));
    }

    [Fact]
    public void CopyFrom_AnotherModel_CopiesEveryProperty()
    {
        var source = FlattrButtonViewModel.Create(new ButtonContent(Href, "Title", "Ann", 3), ButtonStyle.Compact);
        var target = new FlattrButtonViewModel();

        target.CopyFrom(source);

        Assert.Equivalent(source, target, strict: true);
    }
}
