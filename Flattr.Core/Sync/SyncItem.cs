using Flattr.Protocol;

namespace Flattr.Sync;

/// <summary>What a pending change asks of the Hub.</summary>
public enum SyncKind
{
    /// <summary>Create or update the thing (content was published or changed).</summary>
    Upsert,

    /// <summary>Retire the thing (content was unpublished, trashed or deleted).</summary>
    Retire,
}

/// <summary>
/// One pending change for one thing, held in a CMS's durable sync queue until the Hub has it. A later change to the
/// same thing replaces an earlier one still waiting, because only the latest state matters.
/// </summary>
public sealed record SyncItem
{
    /// <summary>The installation's id for the thing.</summary>
    public required string ExternalId { get; init; }

    /// <summary>Upsert or retire.</summary>
    public required SyncKind Kind { get; init; }

    /// <summary>The thing to send, for an upsert.</summary>
    public ThingUpsert? Thing { get; init; }

    /// <summary>Identifies this exact version of the item; a store removes or updates it only while it is unchanged.</summary>
    public string Version { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>When the change was queued.</summary>
    public DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>How many times sending it has failed.</summary>
    public int Attempts { get; init; }

    /// <summary>When to try it next.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>The last error, for the backoffice.</summary>
    public string? LastError { get; init; }

    /// <summary>True when the Hub refused the item for good (invalid content); it waits for the next edit or a resync.</summary>
    public bool Failed { get; init; }

    /// <summary>A queued upsert of <paramref name="thing"/>.</summary>
    public static SyncItem Upsert(string externalId, ThingUpsert thing, DateTimeOffset now) =>
        new() { ExternalId = externalId, Kind = SyncKind.Upsert, Thing = thing, EnqueuedAt = now, NextAttemptAt = now };

    /// <summary>A queued retirement.</summary>
    public static SyncItem Retire(string externalId, DateTimeOffset now) =>
        new() { ExternalId = externalId, Kind = SyncKind.Retire, EnqueuedAt = now, NextAttemptAt = now };
}

/// <summary>How deep a sync queue is, for a settings dashboard.</summary>
/// <param name="Pending">Items waiting to be sent (including those backing off).</param>
/// <param name="Failed">Items the Hub refused for good.</param>
/// <param name="OldestEnqueuedAt">When the oldest waiting item was queued, if any.</param>
public sealed record SyncQueueStatus(int Pending, int Failed, DateTimeOffset? OldestEnqueuedAt);

/// <summary>
/// Durable storage of a CMS installation's sync queue: Umbraco keeps it in its database, Orchard Core in the tenant's
/// data folder. Items survive restarts; a store never loses an item that was enqueued after it was read.
/// </summary>
public interface ISyncQueueStore
{
    /// <summary>Queues <paramref name="item"/>, replacing any item still waiting for the same external id.</summary>
    Task EnqueueAsync(SyncItem item, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> items due at <paramref name="now"/> and not failed, oldest first.</summary>
    Task<IReadOnlyList<SyncItem>> GetDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>Removes the item if it is still the same version (a newer change queued meanwhile stays).</summary>
    Task RemoveAsync(SyncItem item, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored item with <paramref name="updated"/> if the stored one is still <paramref name="original"/>'s version.</summary>
    Task UpdateAsync(SyncItem original, SyncItem updated, CancellationToken cancellationToken = default);

    /// <summary>Counts for a dashboard.</summary>
    Task<SyncQueueStatus> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Items the Hub refused for good, newest first, for an editor to see why.</summary>
    Task<IReadOnlyList<SyncItem>> GetFailedAsync(int max, CancellationToken cancellationToken = default);
}
