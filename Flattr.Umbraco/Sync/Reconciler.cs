using System.Globalization;
using Flattr.Sync;
using Flattr.Umbraco.Configuration;
using Flattr.Umbraco.Content;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Umbraco.Cms.Core.Models;
using Umbraco.Cms.Core.Services;

namespace Flattr.Umbraco.Sync;

/// <summary>
/// Compares every Flattr-enabled document with what was last sent for it and queues whatever drifted: a change whose
/// notification was missed (a crash between saving and queueing, content imported by code, a protection rule or a
/// parent unpublished), a document that now has a different URL or creator, or a thing whose document is gone.
/// Runs every <see cref="FlattrSyncOptions.ReconcileInterval"/> (the last run is recorded in the database, so restarts
/// do not repeat it) and on request from the settings dashboard.
/// </summary>
internal sealed class Reconciler(
    IContentService contentService,
    IContentTypeService contentTypes,
    IKeyValueService keyValues,
    KeyValueSyncQueueStore store,
    ContentThings things,
    ThingUrlResolver urls,
    IOptionsMonitor<FlattrOptions> options,
    TimeProvider timeProvider,
    ILogger<Reconciler> logger)
{
    public const string LastRunKey = "Flattr.Reconcile.LastRun";
    public const string RequestedKey = "Flattr.Reconcile.Requested";
    private const int PageSize = 500;

    /// <summary>Asks for a reconcile on the next pass of the worker (whichever server runs it).</summary>
    public void Request() => keyValues.SetValue(RequestedKey, timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));

    /// <summary>When the last reconcile finished, if ever.</summary>
    public DateTimeOffset? LastRun =>
        DateTimeOffset.TryParse(keyValues.GetValue(LastRunKey), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;

    /// <summary>Reconciles if it is due or was requested; returns how many items it queued, or null when it did not run.</summary>
    public async Task<int?> RunIfDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var requested = !string.IsNullOrEmpty(keyValues.GetValue(RequestedKey));
        if (!requested && LastRun is { } last && now - last < options.CurrentValue.Sync.ReconcileInterval)
        {
            return null;
        }

        var queued = await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        keyValues.SetValue(LastRunKey, timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        if (requested)
        {
            keyValues.SetValue(RequestedKey, string.Empty);
        }

        return queued;
    }

    /// <summary>Queues every drifted document now; returns how many items were queued.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var synced = store.AllSynced();
        var pending = store.PendingIds();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int checkedCount = 0, queued = 0;

        var typeIds = contentTypes.GetAll().Where(t => t.CompositionPropertyTypes.Any(p => p.Alias == FlattrAliases.Enabled)).Select(t => t.Id).ToArray();
        if (typeIds.Length > 0)
        {
            long page = 0, total;
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                var documents = contentService.GetPagedOfTypes(typeIds, page++, PageSize, out total, null, null).ToList();
                foreach (var document in documents)
                {
                    checkedCount++;
                    var id = ContentThings.ExternalId(document.Key);
                    seen.Add(id);
                    if (pending.Contains(id) || Drifted(document, synced.GetValueOrDefault(id), now) is not { } item)
                    {
                        continue;
                    }

                    await store.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
                    queued++;
                }
            }
            while (page * PageSize < total);
        }

        // Things the Hub holds whose document is gone or no longer takes part.
        foreach (var (id, record) in synced)
        {
            if (record.Kind == SyncKind.Upsert && !seen.Contains(id) && !pending.Contains(id))
            {
                await store.EnqueueAsync(SyncItem.Retire(id, now), cancellationToken).ConfigureAwait(false);
                queued++;
            }
        }

        Log.Reconciled(logger, checkedCount, queued);
        return queued;
    }

    private SyncItem? Drifted(IContent document, SyncRecord? synced, DateTimeOffset now)
    {
        var item = things.Decide(document, now);
        if (item is { Kind: SyncKind.Upsert } && !contentService.IsPathPublished(document))
        {
            item = SyncItem.Retire(item.ExternalId, now); // an ancestor is unpublished: nobody can reach the page
        }

        switch (item)
        {
            case { Kind: SyncKind.Retire }:
                return synced is { Kind: SyncKind.Upsert } ? item : null;
            case { Kind: SyncKind.Upsert, Thing: { } thing }:
                if (urls.Resolve(document.Key) is not { } url)
                {
                    // Unknown URL: only worth queueing if the Hub has never had it; the worker then waits for the URL.
                    return synced is { Kind: SyncKind.Upsert } ? null : item;
                }

                var complete = item with { Thing = thing with { Url = url } };
                return synced is { Kind: SyncKind.Upsert } && synced.Fingerprint == KeyValueSyncQueueStore.Fingerprint(complete.Thing!) ? null : complete;
            default:
                return null;
        }
    }
}
