using System.Text.Json.Nodes;
using Flattr.HubClient;
using Flattr.Sync;

namespace Flattr.OrchardContent;

/// <summary>
/// One Orchard Core tenant's side of syncing content to the Hub: content events become items in the tenant's durable
/// queue (<see cref="FileSyncQueueStore"/> in <c>App_Data/Sites/{tenant}/Flattr/queue</c>), and a flush sends what is
/// due through <see cref="SyncQueueProcessor"/>. The module flushes after each request that changed content and from
/// a background task, which retries what the Hub could not take. Hold one instance per tenant (a tenant singleton):
/// flushes of one tenant never overlap.
/// </summary>
public sealed class OrchardContentSync(ISyncQueueStore store, TimeProvider timeProvider) : IDisposable
{
    /// <summary>The folder under a tenant's data folder that holds its queue.</summary>
    public static readonly string QueueSubfolder = Path.Combine("Flattr", "queue");

    private readonly SemaphoreSlim _flushGate = new(1, 1);

    /// <summary>
    /// The queue folder of <paramref name="tenantName"/>: <c>{ShellsApplicationDataPath}/{ShellsContainerName}/{tenant}/Flattr/queue</c>,
    /// where Orchard Core keeps each tenant's files (by default <c>App_Data/Sites/{tenant}</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The tenant name is empty or could leave the tenants' folder.</exception>
    public static string QueueFolder(string shellsApplicationDataPath, string shellsContainerName, string tenantName)
    {
        ArgumentException.ThrowIfNullOrEmpty(shellsApplicationDataPath);
        ArgumentException.ThrowIfNullOrEmpty(shellsContainerName);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantName);
        if (tenantName is "." or ".." || tenantName.IndexOfAny(['/', '\\', ':']) >= 0 || tenantName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"'{tenantName}' is not a tenant name that can name a folder.", nameof(tenantName));
        }

        return Path.Combine(shellsApplicationDataPath, shellsContainerName, tenantName, QueueSubfolder);
    }

    /// <summary>
    /// Queues what a published item means for the Hub: an upsert when it is a thing, a retirement when it stopped being
    /// one (switched off, no address, no creator). Returns the mapping, so the caller can tell the editor why an item
    /// has no button.
    /// </summary>
    public async Task<OrchardContentMapping> ItemPublishedAsync(
        JsonObject contentItem,
        FlattrCreatorSettings settings,
        Uri siteBaseUrl,
        FlattrPartSettings? partSettings = null,
        CancellationToken cancellationToken = default)
    {
        var mapping = OrchardContentMapper.Map(contentItem, settings, siteBaseUrl, partSettings);
        await store.EnqueueAsync(mapping.ToSyncItem(timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return mapping;
    }

    /// <summary>Queues the retirement of an item that was unpublished or removed (the Hub keeps its history).</summary>
    public Task ItemWithdrawnAsync(string contentItemId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentItemId);
        return store.EnqueueAsync(SyncItem.Retire(contentItemId, timeProvider.GetUtcNow()), cancellationToken);
    }

    /// <summary>
    /// Sends every due item once through <paramref name="client"/>. Returns null without waiting when another flush of
    /// this tenant is under way (it will send the same items).
    /// </summary>
    public async Task<SyncRunResult?> FlushAsync(FlattrHubClient client, int maxItems = 2000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!await _flushGate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            return await new SyncQueueProcessor(client, store, timeProvider).DrainOnceAsync(maxItems, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _flushGate.Release();
        }
    }

    /// <summary>How deep the queue is, for the settings page.</summary>
    public Task<SyncQueueStatus> GetStatusAsync(CancellationToken cancellationToken = default) => store.GetStatusAsync(cancellationToken);

    /// <summary>Items the Hub refused for good, newest first, with the reason, for the settings page.</summary>
    public Task<IReadOnlyList<SyncItem>> GetFailedAsync(int max = 20, CancellationToken cancellationToken = default) =>
        store.GetFailedAsync(max, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _flushGate.Dispose();
}
