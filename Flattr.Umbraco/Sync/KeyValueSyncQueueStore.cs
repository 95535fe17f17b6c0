using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Flattr.Protocol;
using Flattr.Sync;
using Microsoft.Extensions.Logging;
using Umbraco.Cms.Core.Services;

namespace Flattr.Umbraco.Sync;

/// <summary>
/// The sync outbox, kept in Umbraco's own database through <see cref="IKeyValueService"/> (the <c>umbracoKeyValue</c>
/// table), so every server of a load-balanced site writes to the same queue and nothing is lost on a restart.
/// One row per thing: <c>Flattr.Queue.{external id}</c> holds the pending item as JSON. The service cannot delete a
/// row, so an empty value is a tombstone that every read skips and the next change of that thing reuses. Removal and
/// update are compare-and-set on the stored text (<see cref="IKeyValueService.TrySetValue"/>), so a change queued by
/// an editor while the worker was sending the previous one is never overwritten.
/// After the Hub accepted an item, <c>Flattr.Synced.{external id}</c> records when and what was sent, for the
/// backoffice and for the reconcile pass.
/// </summary>
internal sealed class KeyValueSyncQueueStore(IKeyValueService keyValues, TimeProvider timeProvider, ILogger<KeyValueSyncQueueStore> logger)
    : ISyncQueueStore
{
    public const string QueuePrefix = "Flattr.Queue.";
    public const string SyncedPrefix = "Flattr.Synced.";

    private readonly ConcurrentDictionary<string, string> _reportedUnreadable = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task EnqueueAsync(SyncItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        keyValues.SetValue(QueuePrefix + item.ExternalId, SyncItemJson.Serialize(item));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SyncItem>> GetDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SyncItem> due = [.. ReadAll()
            .Where(i => !i.Failed && i.NextAttemptAt <= now)
            .OrderBy(i => i.EnqueuedAt)
            .ThenBy(i => i.ExternalId, StringComparer.Ordinal)
            .Take(max)];
        return Task.FromResult(due);
    }

    /// <summary>
    /// Removes the item if it is still the same version. The queue processor calls this only once the Hub has accepted
    /// the item, so it also records the item as synced (even when a newer change is waiting: the Hub has this one).
    /// </summary>
    public Task RemoveAsync(SyncItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var record = new SyncRecord(item.Kind, timeProvider.GetUtcNow(), item.Kind == SyncKind.Upsert && item.Thing is { } thing ? Fingerprint(thing) : null);
        keyValues.SetValue(SyncedPrefix + item.ExternalId, JsonSerializer.Serialize(record, StoreJsonContext.Default.SyncRecord));
        ReplaceIfUnchanged(item, string.Empty);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task UpdateAsync(SyncItem original, SyncItem updated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(updated);
        ReplaceIfUnchanged(original, SyncItemJson.Serialize(updated));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<SyncQueueStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var all = ReadAll().ToList();
        var pending = all.Where(i => !i.Failed).ToList();
        return Task.FromResult(new SyncQueueStatus(pending.Count, all.Count - pending.Count, pending.Count == 0 ? null : pending.Min(i => i.EnqueuedAt)));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SyncItem>> GetFailedAsync(int max, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SyncItem> failed = [.. ReadAll().Where(i => i.Failed).OrderByDescending(i => i.EnqueuedAt).Take(max)];
        return Task.FromResult(failed);
    }

    /// <summary>The item waiting for <paramref name="externalId"/>, if any.</summary>
    public SyncItem? Find(string externalId) => Parse(QueuePrefix + externalId, keyValues.GetValue(QueuePrefix + externalId));

    /// <summary>What was last sent for <paramref name="externalId"/>, if anything.</summary>
    public SyncRecord? FindSynced(string externalId) => ParseRecord(keyValues.GetValue(SyncedPrefix + externalId));

    /// <summary>Every thing that was ever sent, by external id.</summary>
    public IReadOnlyDictionary<string, SyncRecord> AllSynced()
    {
        var records = new Dictionary<string, SyncRecord>(StringComparer.Ordinal);
        foreach (var (key, value) in keyValues.FindByKeyPrefix(SyncedPrefix) ?? new Dictionary<string, string?>())
        {
            if (ParseRecord(value) is { } record)
            {
                records[key[SyncedPrefix.Length..]] = record;
            }
        }

        return records;
    }

    /// <summary>The external ids with an item waiting (failed ones included).</summary>
    public IReadOnlySet<string> PendingIds() => ReadAll().Select(i => i.ExternalId).ToHashSet(StringComparer.Ordinal);

    /// <summary>A stable digest of what an upsert says, to tell whether a document drifted from what the Hub holds.</summary>
    public static string Fingerprint(ThingUpsert thing) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(thing, ProtocolJson.ThingUpsert)));

    private IEnumerable<SyncItem> ReadAll()
    {
        foreach (var (key, value) in keyValues.FindByKeyPrefix(QueuePrefix) ?? new Dictionary<string, string?>())
        {
            if (Parse(key, value) is { } item)
            {
                yield return item;
            }
        }
    }

    private void ReplaceIfUnchanged(SyncItem original, string newValue)
    {
        var key = QueuePrefix + original.ExternalId;
        var stored = keyValues.GetValue(key);
        if (Parse(key, stored) is not { } current || current.Version != original.Version)
        {
            return; // a newer change was queued while this one was being sent: keep it
        }

        // Compare-and-set on the text just read: if an editor queued a change in between, it stays.
        keyValues.TrySetValue(key, stored!, newValue);
    }

    private SyncItem? Parse(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null; // nothing there, or a tombstone
        }

        try
        {
            return SyncItemJson.Deserialize(value);
        }
        catch (JsonException e)
        {
            // Someone edited the row by hand. Reported once per process; the row is left alone so nothing is destroyed,
            // and the next change of that document overwrites it.
            if (_reportedUnreadable.TryAdd(key, value))
            {
                Log.UnreadableQueueItem(logger, e, key);
            }

            return null;
        }
    }

    private static SyncRecord? ParseRecord(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(value, StoreJsonContext.Default.SyncRecord);
        }
        catch (JsonException)
        {
            return null; // treated as never synced: the reconcile pass sends the document again
        }
    }
}

/// <summary>What was last sent to the Hub for one thing.</summary>
/// <param name="Kind">Upsert or retire.</param>
/// <param name="SyncedAt">When the Hub accepted it.</param>
/// <param name="Fingerprint">For an upsert, the digest of what was sent.</param>
internal sealed record SyncRecord(SyncKind Kind, DateTimeOffset SyncedAt, string? Fingerprint);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SyncRecord))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
