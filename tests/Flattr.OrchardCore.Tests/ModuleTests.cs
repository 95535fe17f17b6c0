using System.Reflection;
using System.Text.Encodings.Web;
using Flattr.Buttons;
using Flattr.OrchardContent;
using Flattr.OrchardCore.Drivers;
using Flattr.OrchardCore.Handlers;
using Flattr.OrchardCore.Services;
using Fluid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Moq;
using OrchardCore;
using OrchardCore.BackgroundTasks;
using OrchardCore.ContentManagement;
using OrchardCore.ContentTypes.Editors;
using OrchardCore.Data.Migration;
using OrchardCore.Navigation;
using OrchardCore.Recipes.Services;
using OrchardCore.Security.Permissions;

namespace Flattr.OrchardCore.Tests;

/// <summary>What the module registers and embeds, and the small classes around it.</summary>
public sealed class ModuleTests
{
    private static readonly Assembly Module = typeof(Startup).Assembly;

    private static IServiceCollection Registered()
    {
        var services = new ServiceCollection();
        new Startup().ConfigureServices(services);
        return services;
    }

    [Fact]
    public void ConfigureServices_Module_RegistersPartDriversHandlerMigrationPermissionsMenuAndSync()
    {
        var services = Registered();

        Assert.Contains(services, d => d.ServiceType == typeof(FlattrPartHandler));
        Assert.Contains(services, d => d.ServiceType == typeof(FlattrPartDisplayDriver));
        Assert.Contains(services, d => d.ServiceType == typeof(IContentTypePartDefinitionDisplayDriver) && d.ImplementationType == typeof(FlattrPartSettingsDisplayDriver));
        Assert.Contains(services, d => d.ImplementationType == typeof(FlattrSettingsDisplayDriver));
        Assert.Contains(services, d => d.ServiceType == typeof(IDataMigration) && d.ImplementationType == typeof(Migrations));
        Assert.Contains(services, d => d.ServiceType == typeof(IPermissionProvider) && d.ImplementationType == typeof(Permissions));
        Assert.Contains(services, d => d.ServiceType == typeof(INavigationProvider) && d.ImplementationType == typeof(AdminMenu));
        Assert.Contains(services, d => d.ServiceType == typeof(IBackgroundTask) && d.ImplementationType == typeof(FlattrSyncBackgroundTask));
        Assert.Contains(services, d => d.ServiceType == typeof(OrchardContentSync) && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Contains(services, d => d.ServiceType == typeof(FlattrContentSync) && d.Lifetime == ServiceLifetime.Scoped);

        using var provider = services.BuildServiceProvider();
        Assert.True(provider.GetRequiredService<IOptions<ContentOptions>>().Value.ContentPartOptionsLookup.ContainsKey("FlattrPart"));
    }

    [Theory]
    [InlineData("Flattr.OrchardCore.Views>FlattrPart.liquid")]
    [InlineData("Flattr.OrchardCore.Migrations>flattr-part.recipe.json")]
    public void Module_Assets_AreEmbeddedWhereOrchardLooksForThem(string resource)
    {
        Assert.Contains(resource, Module.GetManifestResourceNames());
    }

    [Fact]
    public void Module_RecipeOnlyEdition_IsNotEmbedded()
    {
        Assert.DoesNotContain(Module.GetManifestResourceNames(), name => name.Contains("Declarative", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LiquidView_WithTheModulesTemplateOptions_RendersTheRenderersButton()
    {
        using var provider = Registered().BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<TemplateOptions>>().Value;
        using var stream = Module.GetManifestResourceStream("Flattr.OrchardCore.Views>FlattrPart.liquid")!;
        using var reader = new StreamReader(stream);
        Assert.True(new FluidParser().TryParse(await reader.ReadToEndAsync(TestContext.Current.CancellationToken), out var template, out var error), error);
        var content = new ButtonContent(new Uri("https://hub.example.net/flattr?thing=1&sig=v1%3Dab"), "Wheels", "Ann", 3);
        var context = new TemplateContext(options);
        context.SetValue("Model", FlattrButtonViewModel.Create(content));

        var html = await template.RenderAsync(context, HtmlEncoder.Default);

        Assert.Contains("flattr-button--default", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://hub.example.net/flattr?thing=1&amp;sig=v1%3Dab\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_Migration_RunsThePartsRecipe()
    {
        var recipes = new Mock<IRecipeMigrator>();
        var migrations = new Migrations(recipes.Object);

        Assert.Equal(1, await migrations.CreateAsync());
        recipes.Verify(r => r.ExecuteAsync("flattr-part.recipe.json", migrations), Times.Once);
    }

    [Fact]
    public async Task Permissions_ManageSettings_IsSecurityCriticalAndGivenToAdministrators()
    {
        var provider = new Permissions();

        var permission = Assert.Single(await provider.GetPermissionsAsync());
        Assert.Same(FlattrPermissions.ManageFlattrSettings, permission);
        Assert.True(permission.IsSecurityCritical);
        var stereotype = Assert.Single(provider.GetDefaultStereotypes());
        Assert.Equal(OrchardCoreConstants.Roles.Administrator, stereotype.Name);
        Assert.Contains(permission, stereotype.Permissions);
    }

    [Fact]
    public void BackgroundTask_Schedule_RunsEveryMinuteUnderALock()
    {
        var attribute = typeof(FlattrSyncBackgroundTask).GetCustomAttribute<BackgroundTaskAttribute>()!;

        Assert.Equal("* * * * *", attribute.Schedule);
        Assert.True(attribute.LockTimeout > 0 && attribute.LockExpiration > 0);
    }

    [Fact]
    public async Task AdminMenu_Settings_LinksToTheFlattrSettingsGroup()
    {
        var localizer = new Mock<IStringLocalizer<AdminMenu>>();
        localizer.Setup(l => l[It.IsAny<string>()]).Returns((string name) => new LocalizedString(name, name));
        var builder = new NavigationBuilder();

        await new AdminMenu(localizer.Object).BuildNavigationAsync(NavigationConstants.AdminId, builder);

        var flattr = Assert.Single(builder.Build().SelectMany(i => i.Items), i => i.Text.Value == "Flattr");
        Assert.Equal(FlattrSettingsDisplayDriver.GroupId, flattr.RouteValues["groupId"]);
        Assert.Contains(FlattrPermissions.ManageFlattrSettings, flattr.Permissions);
    }
}
