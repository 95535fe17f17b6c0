using Flattr.HubClient;
using Flattr.Sync;
using Flattr.Umbraco.Configuration;
using Flattr.Umbraco.Content;
using Flattr.Umbraco.Installing;
using Flattr.Umbraco.Management;
using Flattr.Umbraco.Rendering;
using Flattr.Umbraco.Sync;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Umbraco.Cms.Core.DependencyInjection;
using Umbraco.Cms.Core.Notifications;

namespace Flattr.Umbraco;

/// <summary>Registers Flattr's services on an <see cref="IUmbracoBuilder"/>.</summary>
public static class FlattrUmbracoBuilderExtensions
{
    /// <summary>
    /// Adds everything Flattr needs: settings from the <c>Flattr</c> section (validated when the site starts), the signed
    /// and resilient Hub client, the installer, the outbox and its notification handlers, the sync worker, the rendering
    /// services and the backoffice API. Calling it twice does nothing the second time. <see cref="FlattrComposer"/> calls
    /// it; call it yourself only if you disabled composers.
    /// </summary>
    public static IUmbracoBuilder AddFlattr(this IUmbracoBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(FlattrMarker)))
        {
            return builder;
        }

        services.AddSingleton<FlattrMarker>();
        var section = builder.Config.GetSection(FlattrOptions.SectionName);
        services.AddOptions<FlattrOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FlattrOptions>, FlattrOptionsValidator>());
        // HubUrl, InstallationId, Secret and the timeouts sit in the same section; Flattr.Core validates them.
        services.AddOptions<FlattrHubOptions>().Bind(section);
        services.AddFlattrHubClient();
        services.AddHttpContextAccessor();

        services.AddSingleton<CreatorResolver>();
        services.AddSingleton<ContentThings>();
        services.AddSingleton<ThingUrlResolver>();
        services.AddSingleton<KeyValueSyncQueueStore>();
        services.AddSingleton<ISyncQueueStore>(provider => provider.GetRequiredService<KeyValueSyncQueueStore>());
        services.AddScoped<Reconciler>();
        services.AddScoped<FlattrSyncRunner>();
        services.AddHostedService<FlattrSyncWorker>();
        services.AddTransient<IFlattrButtons, FlattrButtons>();

        builder.AddNotificationAsyncHandler<UmbracoApplicationStartedNotification, FlattrInstaller>();
        builder.AddNotificationAsyncHandler<ContentPublishedNotification, ContentSyncHandler>();
        builder.AddNotificationAsyncHandler<ContentUnpublishedNotification, ContentSyncHandler>();
        builder.AddNotificationAsyncHandler<ContentMovedToRecycleBinNotification, ContentSyncHandler>();
        builder.AddNotificationAsyncHandler<ContentDeletedNotification, ContentSyncHandler>();
        builder.AddNotificationAsyncHandler<ContentMovedNotification, ContentSyncHandler>();

        // The backoffice API controller and the button's view live in this assembly. A site that references the package
        // already has it as an application part; adding it only when missing avoids registering them twice.
        var assembly = typeof(FlattrManagementController).Assembly;
        services.AddMvcCore().ConfigureApplicationPartManager(manager =>
        {
            if (!manager.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
            {
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                {
                    manager.ApplicationParts.Add(part);
                }
            }
        });

        return builder;
    }

    /// <summary>Marks that <see cref="AddFlattr"/> ran.</summary>
    private sealed class FlattrMarker;
}
