using System.Security.Claims;
using Flattr.Buttons;
using Flattr.OrchardContent;
using Flattr.OrchardCore.Drivers;
using Flattr.OrchardCore.Models;
using Flattr.OrchardCore.Services;
using Flattr.OrchardCore.ViewModels;
using Flattr.Sync;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Moq;
using OrchardCore.ContentManagement.Display.Models;
using OrchardCore.ContentManagement.Metadata.Models;
using OrchardCore.DisplayManagement;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.DisplayManagement.ModelBinding;
using OrchardCore.DisplayManagement.Shapes;
using OrchardCore.DisplayManagement.Views;
using OrchardCore.Environment.Shell;

namespace Flattr.OrchardCore.Tests;

/// <summary>The part's display driver and the site settings driver, with Orchard's contexts built as Orchard builds them.</summary>
public sealed class DriverTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("flattr-oc-drivers-");
    private readonly FileSyncQueueStore _store;
    private readonly OrchardContentSync _sync;

    public DriverTests()
    {
        _store = new FileSyncQueueStore(_folder.FullName);
        _sync = new OrchardContentSync(_store, TimeProvider.System);
    }

    public void Dispose()
    {
        _sync.Dispose();
        _store.Dispose();
        _folder.Delete(recursive: true);
    }

    private static IShape NewShape() => Mock.Of<IShape>(s => s.Metadata == new ShapeMetadata());

    private static BuildPartDisplayContext DisplayContext() => new(
        new ContentTypePartDefinition(nameof(FlattrPart), new ContentPartDefinition(nameof(FlattrPart)), []),
        new BuildDisplayContext(NewShape(), "Detail", string.Empty, Mock.Of<IShapeFactory>(), null, Mock.Of<IUpdateModel>()));

    private static FlattrPart PartOf(string fixture)
    {
        var item = TestSite.Item(fixture);
        return new FlattrPart { ContentItem = item };
    }

    [Fact]
    public async Task DisplayAsync_PublishedItemOnAConfiguredSite_ShowsTheButton()
    {
        var driver = new FlattrPartDisplayDriver(TestSite.SiteSettings(TestSite.CompleteSettings()));

        var result = await driver.DisplayAsync(PartOf("blog-post.published.json"), DisplayContext());

        Assert.IsType<ShapeResult>(result);
    }

    [Theory]
    [InlineData("blog-post.draft.json")]
    [InlineData("article.disabled.json")]
    [InlineData("article.no-route.json")]
    public async Task DisplayAsync_ItemThatIsNoThing_ShowsNothing(string fixture)
    {
        var driver = new FlattrPartDisplayDriver(TestSite.SiteSettings(TestSite.CompleteSettings()));

        Assert.Null(await driver.DisplayAsync(PartOf(fixture), DisplayContext()));
    }

    [Fact]
    public async Task DisplayAsync_SiteWithoutSecret_ShowsNothing()
    {
        var settings = TestSite.CompleteSettings();
        settings.ProtectedSecret = null;
        var driver = new FlattrPartDisplayDriver(TestSite.SiteSettings(settings));

        Assert.Null(await driver.DisplayAsync(PartOf("blog-post.published.json"), DisplayContext()));
    }

    private (FlattrSettingsDisplayDriver Driver, Mock<IShellReleaseManager> Release) SettingsDriver(FlattrCreatorSettings stored, bool authorized = true)
    {
        var authorization = new Mock<IAuthorizationService>();
        authorization
            .Setup(a => a.AuthorizeAsync(It.IsAny<ClaimsPrincipal>(), It.IsAny<object>(), It.IsAny<IEnumerable<IAuthorizationRequirement>>()))
            .ReturnsAsync(authorized ? AuthorizationResult.Success() : AuthorizationResult.Failed());
        var release = new Mock<IShellReleaseManager>();
        var driver = new FlattrSettingsDisplayDriver(
            TestSite.SiteSettings(stored),
            _sync,
            release.Object,
            new HttpContextAccessor { HttpContext = new DefaultHttpContext() },
            authorization.Object);
        return (driver, release);
    }

    private static UpdateEditorContext UpdateContext(FlattrSettingsViewModel posted, ModelStateDictionary modelState)
    {
        var updater = new Mock<IUpdateModel>();
        updater.SetupGet(u => u.ModelState).Returns(modelState);
        updater
            .Setup(u => u.TryUpdateModelAsync(It.IsAny<FlattrSettingsViewModel>(), It.IsAny<string>()))
            .Callback<FlattrSettingsViewModel, string>((model, _) =>
            {
                model.HubUrl = posted.HubUrl;
                model.InstallationId = posted.InstallationId;
                model.Secret = posted.Secret;
                model.DefaultCreatorId = posted.DefaultCreatorId;
                model.DefaultCreatorName = posted.DefaultCreatorName;
                model.CreatorMode = posted.CreatorMode;
                model.DefaultEnabled = posted.DefaultEnabled;
                model.ButtonStyle = posted.ButtonStyle;
            })
            .ReturnsAsync(true);
        return new UpdateEditorContext(NewShape(), FlattrSettingsDisplayDriver.GroupId, false, string.Empty, Mock.Of<IShapeFactory>(), null, updater.Object);
    }

    [Fact]
    public async Task UpdateAsync_CompleteForm_StoresTrimmedSettingsAndTheSecretProtectedAndReleasesTheTenant()
    {
        var stored = new FlattrCreatorSettings();
        var (driver, release) = SettingsDriver(stored);
        var modelState = new ModelStateDictionary();
        var posted = new FlattrSettingsViewModel
        {
            HubUrl = " https://hub.example.net/ ",
            InstallationId = "inst-orchard ",
            Secret = " new-secret ",
            DefaultCreatorId = "workshop",
            DefaultCreatorName = "The Workshop",
            ButtonStyle = ButtonStyle.Compact,
        };
        var site = TestSite.Site(stored).Object;

        await driver.UpdateAsync(site, stored, UpdateContext(posted, modelState));

        Assert.True(modelState.IsValid);
        Assert.Equal("https://hub.example.net/", stored.HubUrl);
        Assert.Equal("inst-orchard", stored.InstallationId);
        Assert.Equal(ButtonStyle.Compact, stored.ButtonStyle);
        Assert.NotNull(stored.ProtectedSecret);
        Assert.DoesNotContain("new-secret", stored.ProtectedSecret, StringComparison.Ordinal);
        var reread = new FlattrSiteSettings(TestSite.SiteService(TestSite.Site(stored).Object), TestSite.DataProtection).Load();
        Assert.Equal("new-secret", reread.Secret);
        release.Verify(r => r.RequestRelease(), Times.Once);
    }

    [Fact]
    public async Task UpdateAsync_BlankSecret_KeepsTheStoredOne()
    {
        var stored = TestSite.CompleteSettings();
        var before = stored.ProtectedSecret;
        var (driver, _) = SettingsDriver(stored);
        var posted = new FlattrSettingsViewModel
        {
            HubUrl = stored.HubUrl, InstallationId = stored.InstallationId, Secret = "  ", DefaultCreatorId = stored.DefaultCreatorId,
        };

        await driver.UpdateAsync(TestSite.Site(stored).Object, stored, UpdateContext(posted, new ModelStateDictionary()));

        Assert.Equal(before, stored.ProtectedSecret);
    }

    [Fact]
    public async Task UpdateAsync_HubUrlThatIsNoAddress_IsAModelErrorOnThatField()
    {
        var stored = TestSite.CompleteSettings();
        var (driver, _) = SettingsDriver(stored);
        var modelState = new ModelStateDictionary();
        var posted = new FlattrSettingsViewModel { HubUrl = "hub.example.net", InstallationId = "inst-orchard", DefaultCreatorId = "workshop" };

        await driver.UpdateAsync(TestSite.Site(stored).Object, stored, UpdateContext(posted, modelState));

        Assert.False(modelState.IsValid);
        Assert.Contains(modelState.Keys, k => k.EndsWith(".HubUrl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpdateAsync_UserWithoutThePermission_ChangesNothing()
    {
        var stored = TestSite.CompleteSettings();
        var (driver, release) = SettingsDriver(stored, authorized: false);
        var posted = new FlattrSettingsViewModel { HubUrl = "https://evil.example/" };

        var result = await driver.UpdateAsync(TestSite.Site(stored).Object, stored, UpdateContext(posted, new ModelStateDictionary()));

        Assert.Null(result);
        Assert.Equal("https://hub.example.net/", stored.HubUrl);
        release.Verify(r => r.RequestRelease(), Times.Never);
    }
}
