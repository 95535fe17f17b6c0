using Flattr.Buttons;
using Flattr.HubClient;
using Flattr.OrchardContent;
using Flattr.Things;

namespace Flattr.Core.Tests.OrchardContent;

/// <summary>The site's creator settings, their validation, and the per-type part settings.</summary>
public sealed class FlattrSettingsTests
{
    private const string Site = "https://www.example.org/";

    private static string[] Fields(IEnumerable<FlattrSettingsProblem> problems) => [.. problems.Select(p => p.Field)];

    [Fact]
    public void Validate_CompleteSettings_HasNoProblems()
    {
        Assert.Empty(FlattrCreatorSettingsValidator.Validate(OrchardFixtures.Settings(), Site));
    }

    [Fact]
    public void Validate_NewSite_NamesEverySettingStillMissing()
    {
        var problems = FlattrCreatorSettingsValidator.Validate(new FlattrCreatorSettings(), siteBaseUrl: null);

        Assert.Equal(
            ["HubUrl", "InstallationId", "ProtectedSecret", "DefaultCreatorId", FlattrCreatorSettingsValidator.SiteBaseUrlField],
            Fields(problems));
        // Each message says what to do, not just what is wrong.
        Assert.All(problems, p => Assert.Matches("^(Enter|Set) ", p.Message));
    }

    [Theory]
    [InlineData("hub.example.net")]
    [InlineData("ftp://hub.example.net/")]
    [InlineData("https://hub.example.net/?installation=x")]
    [InlineData("https://hub.example.net/#top")]
    public void Validate_HubUrlThatIsNoHubAddress_IsAProblemWithTheHubUrl(string hubUrl)
    {
        var settings = OrchardFixtures.Settings();
        settings.HubUrl = hubUrl;

        var problem = Assert.Single(FlattrCreatorSettingsValidator.Validate(settings, Site));

        Assert.Equal("HubUrl", problem.Field);
    }

    [Fact]
    public void Validate_HubUrlWithSurroundingSpaces_IsAccepted()
    {
        var settings = OrchardFixtures.Settings();
        settings.HubUrl = "  https://hub.example.net/flattr/ ";

        Assert.Empty(FlattrCreatorSettingsValidator.Validate(settings, Site));
        Assert.Equal(new Uri("https://hub.example.net/flattr/"), settings.GetHubUri());
    }

    [Fact]
    public void Validate_ContentOwnerMode_NeedsNoDefaultCreator()
    {
        var settings = OrchardFixtures.Settings();
        settings.CreatorMode = FlattrCreatorMode.ContentOwner;
        settings.DefaultCreatorId = null;

        Assert.Empty(FlattrCreatorSettingsValidator.Validate(settings, Site));
    }

    [Fact]
    public void Validate_CreatorIdAndNameBeyondTheHubsLimits_AreProblems()
    {
        var settings = OrchardFixtures.Settings();
        settings.DefaultCreatorId = new string('c', ThingLimits.ExternalIdLength + 1);
        settings.DefaultCreatorName = "The\nWorkshop";

        Assert.Equal(["DefaultCreatorId", "DefaultCreatorName"], Fields(FlattrCreatorSettingsValidator.Validate(settings, Site)));
    }

    [Fact]
    public void Validate_ValuesNoEditorCanChoose_AreProblems()
    {
        var settings = OrchardFixtures.Settings();
        settings.ButtonStyle = (ButtonStyle)42;
        settings.CreatorMode = (FlattrCreatorMode)42;

        Assert.Equal(["ButtonStyle", "CreatorMode"], Fields(FlattrCreatorSettingsValidator.Validate(settings, Site)));
    }

    [Theory]
    [InlineData("/blog")]
    [InlineData("www.example.org")]
    [InlineData("mailto:owner@example.org")]
    public void Validate_SiteBaseUrlThatIsNoWebAddress_PointsAtTheGeneralSettings(string baseUrl)
    {
        var problem = Assert.Single(FlattrCreatorSettingsValidator.Validate(OrchardFixtures.Settings(), baseUrl));

        Assert.Equal(FlattrCreatorSettingsValidator.SiteBaseUrlField, problem.Field);
        Assert.Contains("Settings \u2192 General", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyTo_ValidSettings_GiveHubOptionsTheClientAccepts()
    {
        var options = new FlattrHubOptions();

        OrchardFixtures.Settings().ApplyTo(options, "the-unprotected-secret");

        Assert.Equal(new Uri("https://hub.example.net/"), options.HubUrl);
        Assert.Equal("inst-orchard", options.InstallationId);
        Assert.Equal("the-unprotected-secret", options.Secret);
        Assert.True(new FlattrHubOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void ApplyTo_NoSecret_GivesOptionsTheClientRefuses()
    {
        var options = new FlattrHubOptions();

        OrchardFixtures.Settings().ApplyTo(options, secret: null);

        Assert.True(new FlattrHubOptionsValidator().Validate(null, options).Failed);
    }

    [Fact]
    public void NewSettings_Defaults_ShowAButtonInTheDefaultStyleForTheSitesCreator()
    {
        var settings = new FlattrCreatorSettings();

        Assert.True(settings.DefaultEnabled);
        Assert.Equal(ButtonStyle.Default, settings.ButtonStyle);
        Assert.Equal(FlattrCreatorMode.SiteCreator, settings.CreatorMode);
        Assert.Equal("FlattrCreatorSettings", FlattrCreatorSettings.SectionName);
    }

    [Theory]
    [InlineData("audio", ThingCategory.Audio)]
    [InlineData(null, ThingCategory.Text)]
    [InlineData("podcast", ThingCategory.Text)]
    public void PartSettings_GetCategory_FallsBackToText(string? category, ThingCategory expected)
    {
        Assert.Equal(expected, new FlattrPartSettings { Category = category }.GetCategory());
    }

    [Fact]
    public void PartSettings_UnknownCategory_ListsTheCategoriesToChooseFrom()
    {
        var problem = Assert.Single(new FlattrPartSettings { Category = "podcast" }.Validate());

        Assert.Equal("Category", problem.Field);
        Assert.Contains("text, images, video, audio, software, people, rest", problem.Message, StringComparison.Ordinal);
        Assert.Empty(new FlattrPartSettings().Validate());
    }
}
