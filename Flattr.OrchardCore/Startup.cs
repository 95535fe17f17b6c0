using Flattr.HubClient;
using Flattr.OrchardContent;
using Flattr.OrchardCore.Drivers;
using Flattr.OrchardCore.Handlers;
using Flattr.OrchardCore.Models;
using Flattr.OrchardCore.Services;
using Flattr.Sync;
using Fluid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrchardCore.BackgroundTasks;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Display.ContentDisplay;
using OrchardCore.ContentTypes.Editors;
using OrchardCore.Data.Migration;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.Environment.Shell;
using OrchardCore.Modules;
using OrchardCore.Navigation;
using OrchardCore.Security.Permissions;

namespace Flattr.OrchardCore;

/// <summary>
/// Registers the module in each tenant that enables it. Every service is per tenant: settings, queue folder, Hub client.
/// </summary>
public sealed class Startup : StartupBase
{
    /// <inheritdoc/>
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddContentPart<FlattrPart>()
            .UseDisplayDriver<FlattrPartDisplayDriver>()
            .AddHandler<FlattrPartHandler>();
        services.AddScoped<IContentTypePartDefinitionDisplayDriver, FlattrPartSettingsDisplayDriver>();
        services.AddSiteDisplayDriver<FlattrSettingsDisplayDriver>();
        services.AddDataMigration<Migrations>();
        services.AddPermissionProvider<Permissions>();
        services.AddNavigationProvider<AdminMenu>();

        // Views/FlattrPart.liquid reads the button's view model.
        services.Configure<TemplateOptions>(o => o.MemberAccessStrategy.Register<FlattrButtonViewModel>());

        // The tenant's durable queue: App_Data/Sites/{tenant}/Flattr/queue. One store per tenant and process, as
        // FileSyncQueueStore requires.
        services.AddSingleton(provider =>
        {
            var shellOptions = provider.GetRequiredService<IOptions<ShellOptions>>().Value;
            var shellSettings = provider.GetRequiredService<ShellSettings>();
            return new FileSyncQueueStore(
                OrchardContentSync.QueueFolder(shellOptions.ShellsApplicationDataPath, shellOptions.ShellsContainerName, shellSettings.Name));
        });
        services.AddSingleton<ISyncQueueStore>(provider => provider.GetRequiredService<FileSyncQueueStore>());
        services.AddSingleton<OrchardContentSync>();

        // The signed, resilient Hub client of Flattr.Core, configured from the tenant's Flattr settings.
        services.AddFlattrHubClient();
        services.AddSingleton<FlattrSiteSettings>();
        services.AddTransient<IConfigureOptions<FlattrHubOptions>, FlattrHubOptionsSetup>();

        services.AddScoped<FlattrContentSync>();
        services.AddScoped<FlattrSyncRunner>();
        services.AddSingleton<IBackgroundTask, FlattrSyncBackgroundTask>();
    }
}
