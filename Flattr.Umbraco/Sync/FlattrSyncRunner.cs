using Flattr.HubClient;
using Flattr.Sync;
using Flattr.Umbraco.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Umbraco.Cms.Core;
using Umbraco.Cms.Core.Services;
using Umbraco.Cms.Core.Sync;

namespace Flattr.Umbraco.Sync;

/// <summary>What one pass of the worker did.</summary>
/// <param name="Drain">What the queue processor sent, deferred or refused.</param>
/// <param name="Reconciled">How many items the reconcile pass queued, or null when it was not due.</param>
internal sealed record SyncPassResult(SyncRunResult Drain, int? Reconciled);

/// <summary>
/// One pass of the sync worker: reconcile if due, then drain the outbox into the Hub through Flattr.Core's
/// <see cref="SyncQueueProcessor"/> and the resilient <see cref="FlattrHubClient"/>. Runs only while Umbraco is at
/// runtime level Run, and only on the server that runs scheduled work (a single server, or the scheduling publisher of a
/// load-balanced site), so one server drains the shared outbox. Created per pass (scoped), so the typed HTTP client
/// is fresh each time.
/// </summary>
internal sealed class FlattrSyncRunner(
    IRuntimeState runtimeState,
    IServerRoleAccessor serverRoles,
    KeyValueSyncQueueStore store,
    FlattrHubClient client,
    ThingUrlResolver urls,
    Reconciler reconciler,
    IOptionsMonitor<FlattrOptions> options,
    TimeProvider timeProvider,
    ILogger<FlattrSyncRunner> logger)
{
    /// <summary>True when this server should drain the outbox now.</summary>
    public bool ShouldRun =>
        runtimeState.Level == RuntimeLevel.Run && serverRoles.CurrentServerRole is ServerRole.Single or ServerRole.SchedulingPublisher;

    /// <summary>Runs one pass; null when this server does not drain the outbox (or Umbraco is not running yet).</summary>
    public async Task<SyncPassResult?> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!ShouldRun)
        {
            return null;
        }

        var reconciled = await reconciler.RunIfDueAsync(cancellationToken).ConfigureAwait(false);
        var processor = new SyncQueueProcessor(client, new UrlResolvingSyncQueueStore(store, urls, timeProvider), timeProvider);
        var drained = await processor.DrainOnceAsync(options.CurrentValue.Sync.MaxItemsPerPass, cancellationToken).ConfigureAwait(false);
        if (drained != new SyncRunResult(0, 0, 0, 0))
        {
            Log.SyncPass(logger, drained.Sent, drained.Retired, drained.Deferred, drained.Failed);
        }

        return new SyncPassResult(drained, reconciled);
    }
}
