using Flattr.HubClient;
using Flattr.OrchardContent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrchardCore.BackgroundJobs;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Metadata;
using OrchardCore.Environment.Shell;

namespace Flattr.OrchardCore.Services;

/// <summary>
/// Turns content events of one request into items of the tenant's durable sync queue (Flattr.Core's
/// <see cref="OrchardContentSync"/> over <c>App_Data/Sites/{tenant}/Flattr/queue</c>) and flushes the queue once after
/// the request ends. What the Hub cannot take then is retried by <see cref="FlattrSyncBackgroundTask"/>.
/// </summary>
public sealed class FlattrContentSync(
    OrchardContentSync sync,
    FlattrSiteSettings siteSettings,
    IContentDefinitionManager contentDefinitionManager,
    IHttpContextAccessor httpContextAccessor,
    ShellSettings shellSettings,
    ILogger<FlattrContentSync> logger)
{
    private bool _flushScheduled;

    /// <summary>Queues what a published item means for the Hub: an upsert, or a retirement when it is no longer a thing.</summary>
    public async Task PublishedAsync(ContentItem contentItem)
    {
        var state = await siteSettings.LoadAsync();
        if (state.SiteBaseUrl is null)
        {
            // Without the site's address no thing can be described; the settings page says what to fix.
            LogNotConfigured(logger, shellSettings, state);
            return;
        }

        var typeDefinition = await contentDefinitionManager.GetTypeDefinitionAsync(contentItem.ContentType);
        var partSettings = typeDefinition?.Parts
            .FirstOrDefault(p => string.Equals(p.PartDefinition.Name, OrchardContentMapper.PartName, StringComparison.Ordinal))
            ?.GetSettings<FlattrPartSettings>();

        // REVIEW: the item is queued before Orchard commits the request's session, so a publish that is rolled back
        // afterwards still reaches the Hub; the next publish or unpublish of the item corrects it. Queuing after the
        // commit instead would lose the change if the process stopped in between.
        try
        {
            var mapping = await sync.ItemPublishedAsync(ContentItemJson.From(contentItem), state.Settings, state.SiteBaseUrl, partSettings);
            if (!mapping.IsEligible)
            {
                Log.ItemNotAThing(logger, mapping.ContentItemId, mapping.Eligibility, mapping.Reason);
            }
        }
        catch (IOException e)
        {
            Log.QueueUnavailable(logger, e, contentItem.ContentItemId, shellSettings.Name);
            return;
        }
        catch (UnauthorizedAccessException e)
        {
            Log.QueueUnavailable(logger, e, contentItem.ContentItemId, shellSettings.Name);
            return;
        }

        await ScheduleFlushAsync();
    }

    /// <summary>Queues the retirement of an item that was unpublished or removed.</summary>
    public async Task WithdrawnAsync(ContentItem contentItem)
    {
        try
        {
            await sync.ItemWithdrawnAsync(contentItem.ContentItemId);
        }
        catch (IOException e)
        {
            Log.QueueUnavailable(logger, e, contentItem.ContentItemId, shellSettings.Name);
            return;
        }
        catch (UnauthorizedAccessException e)
        {
            Log.QueueUnavailable(logger, e, contentItem.ContentItemId, shellSettings.Name);
            return;
        }

        await ScheduleFlushAsync();
    }

    internal static void LogNotConfigured(ILogger logger, ShellSettings shellSettings, FlattrSiteState state) =>
        Log.NotConfigured(logger, shellSettings.Name, state.Problems.Count);

    private async Task ScheduleFlushAsync()
    {
        // Once per request, and only in a request: content published by a background task (scheduled publishing)
        // waits for the Flattr background task instead.
        if (_flushScheduled || httpContextAccessor.HttpContext is null)
        {
            return;
        }

        _flushScheduled = true;
        await HttpBackgroundJob.ExecuteAfterEndOfRequestAsync(
            "Flattr.Sync",
            scope => scope.ServiceProvider.GetRequiredService<FlattrSyncRunner>().RunAsync(CancellationToken.None));
    }
}

/// <summary>Sends the tenant's due queue items to the Hub once, when the tenant's Flattr settings are complete.</summary>
public sealed class FlattrSyncRunner(
    OrchardContentSync sync,
    FlattrSiteSettings siteSettings,
    IServiceProvider serviceProvider,
    ShellSettings shellSettings,
    ILogger<FlattrSyncRunner> logger)
{
    /// <summary>Flushes the queue (or does nothing while another flush of the tenant runs).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var state = await siteSettings.LoadAsync();
        if (!state.IsConfigured)
        {
            FlattrContentSync.LogNotConfigured(logger, shellSettings, state);
            return;
        }

        // Resolved only now: the typed client reads its options when created, and they are valid only once configured.
        var client = serviceProvider.GetRequiredService<FlattrHubClient>();
        var result = await sync.FlushAsync(client, cancellationToken: cancellationToken);
        if (result is { Deferred: > 0 } or { Failed: > 0 })
        {
            Log.SyncIncomplete(logger, shellSettings.Name, result.Sent, result.Retired, result.Deferred, result.Failed);
        }
    }
}
