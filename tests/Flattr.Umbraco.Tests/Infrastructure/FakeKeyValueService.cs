using System.Collections.Concurrent;
using Umbraco.Cms.Core.Services;

namespace Flattr.Umbraco.Tests.Infrastructure;

/// <summary>
/// Umbraco's key-value table, kept in a dictionary with the semantics of Umbraco's own <c>KeyValueService</c>:
/// <c>GetValue</c> gives null for a missing key, <c>TrySetValue</c> fails when the key is missing or its value differs,
/// and there is no delete. One instance stands for the database: a "restarted" site gets new services over the same
/// instance. <see cref="Failing"/> makes every call throw, as a database outage would.
/// </summary>
public sealed class FakeKeyValueService : IKeyValueService
{
    private readonly ConcurrentDictionary<string, string> _rows = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public bool Failing { get; set; }

    /// <summary>Runs just before a compare-and-set reads the row, to let a test slip a concurrent write in.</summary>
    public Action<string>? BeforeCompareAndSet { get; set; }

    public IReadOnlyDictionary<string, string> Rows => _rows;

    public string? GetValue(string key)
    {
        Check();
        return _rows.TryGetValue(key, out var value) ? value : null;
    }

    public IReadOnlyDictionary<string, string?>? FindByKeyPrefix(string keyPrefix)
    {
        Check();
        return _rows.Where(r => r.Key.StartsWith(keyPrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(r => r.Key, r => (string?)r.Value, StringComparer.OrdinalIgnoreCase);
    }

    public void SetValue(string key, string value)
    {
        Check();
        lock (_lock)
        {
            _rows[key] = value;
        }
    }

    public void SetValue(string key, string originValue, string newValue)
    {
        if (!TrySetValue(key, originValue, newValue))
        {
            throw new InvalidOperationException("Could not set the value.");
        }
    }

    public bool TrySetValue(string key, string originValue, string newValue)
    {
        Check();
        BeforeCompareAndSet?.Invoke(key);
        lock (_lock)
        {
            if (!_rows.TryGetValue(key, out var current) || current != originValue)
            {
                return false;
            }

            _rows[key] = newValue;
            return true;
        }
    }

    private void Check()
    {
        if (Failing)
        {
            throw new InvalidOperationException("The database is unavailable (simulated).");
        }
    }
}
