using System.Text.Json;
using System.Text.Json.Nodes;
using Flattr.OrchardContent;
using Flattr.OrchardCore.Services;
using Microsoft.AspNetCore.DataProtection;
using Moq;
using OrchardCore.ContentManagement;
using OrchardCore.Settings;

namespace Flattr.OrchardCore.Tests;

/// <summary>A tenant's site settings as Orchard serves them, with the Flattr section stored the way Orchard stores it.</summary>
internal static class TestSite
{
    public const string Secret = "installation-secret";

    public static readonly IDataProtectionProvider DataProtection = new EphemeralDataProtectionProvider();

    public static FlattrCreatorSettings CompleteSettings()
    {
        var settings = new FlattrCreatorSettings
        {
            HubUrl = "https://hub.example.net/",
            InstallationId = "inst-orchard",
            DefaultCreatorId = "workshop",
            DefaultCreatorName = "The Workshop",
        };
        settings.ProtectedSecret = new FlattrSiteSettings(Mock.Of<ISiteService>(), DataProtection).Protect(Secret);
        return settings;
    }

    public static Mock<ISite> Site(FlattrCreatorSettings settings, string? baseUrl = "https://www.example.org/")
    {
        var site = new Mock<ISite>();
        site.SetupGet(s => s.Properties).Returns(new JsonObject
        {
            [FlattrCreatorSettings.SectionName] = JsonSerializer.SerializeToNode(settings, JOptions.Default),
        });
        site.SetupProperty(s => s.BaseUrl, baseUrl);
        return site;
    }

    public static FlattrSiteSettings SiteSettings(FlattrCreatorSettings settings, string? baseUrl = "https://www.example.org/") =>
        new(SiteService(Site(settings, baseUrl).Object), DataProtection);

    public static ISiteService SiteService(ISite site)
    {
        var service = new Mock<ISiteService>();
        service.Setup(s => s.GetSiteSettingsAsync()).ReturnsAsync(site);
        service.Setup(s => s.LoadSiteSettingsAsync()).ReturnsAsync(site);
        return service.Object;
    }

    /// <summary>A content item read back from its stored JSON through Orchard's own converter.</summary>
    public static ContentItem Item(string fixture) =>
        JsonSerializer.Deserialize<ContentItem>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture)), JOptions.Default)!;
}
