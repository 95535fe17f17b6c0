using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flattr.Sync;

/// <summary>
/// A sync queue kept as one small JSON file per thing in a folder (for Orchard Core: one folder per tenant under
/// App_Data). Writes go to a temporary file and are moved into place, so a crash never leaves half an item. Meant for
/// one process per folder; a web farm shares a database-backed store instead.
/// </summary>
public sealed class FileSyncQueueStore : ISyncQueueStore, IDisposable
{
    private readonly string _folder;
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>Creates (if needed) and uses <paramref name="folder"/>.</summary>
    public FileSyncQueueStore(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    /// <inheritdoc/>
    public void Dispose() => _lock.Dispose();

    /// <inheritdoc/>
    public async Task EnqueueAsync(SyncItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteAsync(item, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SyncItem>> GetDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var all = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Where(i => !i.Failed && i.NextAttemptAt <= now).OrderBy(i => i.EnqueuedAt).ThenBy(i => i.ExternalId, StringComparer.Ordinal).Take(max)];
    }

    /// <inheritdoc/>
    public Task RemoveAsync(SyncItem item, CancellationToken cancellationToken = default) =>
        ReplaceIfUnchangedAsync(item, null, cancellationToken);

    /// <inheritdoc/>
    public Task UpdateAsync(SyncItem original, SyncItem updated, CancellationToken cancellationToken = default) =>
        ReplaceIfUnchangedAsync(original, updated, cancellationToken);

    /// <inheritdoc/>
    public async Task<SyncQueueStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var all = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
        var pending = all.Where(i => !i.Failed).ToList();
        return new SyncQueueStatus(pending.Count, all.Count - pending.Count, pending.Count == 0 ? null : pending.Min(i => i.EnqueuedAt));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SyncItem>> GetFailedAsync(int max, CancellationToken cancellationToken = default)
    {
        var all = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Where(i => i.Failed).OrderByDescending(i => i.EnqueuedAt).Take(max)];
    }

    private async Task ReplaceIfUnchangedAsync(SyncItem original, SyncItem? updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(original);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var path = PathOf(original.ExternalId);
            var stored = await ReadAsync(path, cancellationToken).ConfigureAwait(false);
            if (stored is null || stored.Version != original.Version)
            {
                return; // a newer change was queued while this one was being sent: keep it
            }

            if (updated is null)
            {
                File.Delete(path);
            }
            else
            {
                await WriteAsync(updated, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task WriteAsync(SyncItem item, CancellationToken cancellationToken)
    {
        var path = PathOf(item.ExternalId);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(item, SyncJsonContext.Default.SyncItem), cancellationToken)
            .ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private async Task<List<SyncItem>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var items = new List<SyncItem>();
        foreach (var path in Directory.EnumerateFiles(_folder, "*.json"))
        {
            if (await ReadAsync(path, cancellationToken).ConfigureAwait(false) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    private static async Task<SyncItem?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, SyncJsonContext.Default.SyncItem, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    // File names are a hash of the external id: ids may hold any character, and must not collide on case-insensitive disks.
    private string PathOf(string externalId) =>
        Path.Combine(_folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(externalId))) + ".json");
}

/// <summary>Source-generated JSON for stored sync items.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SyncItem))]
internal sealed partial class SyncJsonContext : JsonSerializerContext;
