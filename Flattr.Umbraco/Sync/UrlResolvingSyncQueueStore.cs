using Flattr.Sync;

namespace Flattr.Umbraco.Sync;

/// <summary>
/// The worker's view of the outbox: before an upsert is handed to the <see cref="SyncQueueProcessor"/>, its URL is
/// looked up in the published cache as it is at send time (notification handlers queue items without one, because
/// the cache may not have caught up with a publish yet). An item whose document has no public URL yet waits with
/// backoff instead of being refused as invalid.
/// </summary>
internal sealed class UrlResolvingSyncQueueStore(ISyncQueueStore inner, ThingUrlResolver urls, TimeProvider timeProvider) : ISyncQueueStore
{
    public const string NoUrlMessage =
        "The article has no public address yet. If this persists, assign a domain to the site's root in Umbraco or set Flattr:SiteUrl.";

    public async Task<IReadOnlyList<SyncItem>> GetDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var due = await inner.GetDueAsync(now, max, cancellationToken).ConfigureAwait(false);
        var ready = new List<SyncItem>(due.Count);
        foreach (var item in due)
        {
            if (item.Kind != SyncKind.Upsert || item.Thing is null || item.Thing.Url is not null || !Guid.TryParse(item.ExternalId, out var key))
            {
                ready.Add(item);
                continue;
            }

            if (urls.Resolve(key) is { } url)
            {
                var resolved = item with { Thing = item.Thing with { Url = url } };
                await inner.UpdateAsync(item, resolved, cancellationToken).ConfigureAwait(false);
                ready.Add(resolved);
            }
            else
            {
                var attempts = item.Attempts + 1;
                var wait = TimeSpan.FromTicks(Math.Min(SyncQueueProcessor.FirstBackoff.Ticks << Math.Min(attempts - 1, 20), SyncQueueProcessor.MaxBackoff.Ticks));
                var waiting = item with { Attempts = attempts, LastError = NoUrlMessage, NextAttemptAt = timeProvider.GetUtcNow() + wait };
                await inner.UpdateAsync(item, waiting, cancellationToken).ConfigureAwait(false);
            }
        }

        return ready;
    }

    public Task EnqueueAsync(SyncItem item, CancellationToken cancellationToken = default) => inner.EnqueueAsync(item, cancellationToken);

    public Task RemoveAsync(SyncItem item, CancellationToken cancellationToken = default) => inner.RemoveAsync(item, cancellationToken);

    public Task UpdateAsync(SyncItem original, SyncItem updated, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(original, updated, cancellationToken);

    public Task<SyncQueueStatus> GetStatusAsync(CancellationToken cancellationToken = default) => inner.GetStatusAsync(cancellationToken);

    public Task<IReadOnlyList<SyncItem>> GetFailedAsync(int max, CancellationToken cancellationToken = default) => inner.GetFailedAsync(max, cancellationToken);
}
