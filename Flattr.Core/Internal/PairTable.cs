using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Flattr.Internal;

/// <summary>
/// An open-addressing map from a non-zero 64-bit key to the smallest 64-bit value seen for it. Sixteen bytes a slot
/// and no per-entry objects, so ten million (reader, thing) pairs fit in a few hundred megabytes.
/// </summary>
internal sealed class PairTable
{
    private long[] _keys;
    private long[] _values;
    private int _shift;

    public PairTable(int initialCapacityPowerOfTwo = 16)
    {
        _keys = new long[1 << initialCapacityPowerOfTwo];
        _values = new long[_keys.Length];
        _shift = 64 - initialCapacityPowerOfTwo;
    }

    public int Count { get; private set; }

    /// <summary>The number of slots.</summary>
    public int Capacity => _keys.Length;

    /// <summary>Makes room for <paramref name="count"/> keys at once, so adding that many never grows the table.</summary>
    public void EnsureCapacity(int count)
    {
        // The same load limit as AddOrKeepMinimum: three quarters full.
        var length = (long)_keys.Length;
        while (count >= length - (length >> 2) && length < MaxLength)
        {
            length *= 2;
        }

        while (_keys.Length < length)
        {
            Grow();
        }
    }

    // Up front, at most 2^27 slots (2 GiB of keys and values, 100M pairs); past that the table grows as keys arrive.
    private const long MaxLength = 1L << 27;

    /// <summary>Stores <paramref name="value"/> for a new key, or lowers the stored value; returns true for a new key.</summary>
    public bool AddOrKeepMinimum(long key, long value)
    {
        if (Count >= _keys.Length - (_keys.Length >> 2))
        {
            Grow();
        }

        var mask = _keys.Length - 1;
        var slot = Slot(key);
        while (true)
        {
            var existing = _keys[slot];
            if (existing == key)
            {
                if (value < _values[slot])
                {
                    _values[slot] = value;
                }

                return false;
            }

            if (existing == 0)
            {
                _keys[slot] = key;
                _values[slot] = value;
                Count++;
                return true;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>
    /// Asks the CPU to start loading the slot where <paramref name="key"/> would be looked up, so that an
    /// <see cref="AddOrKeepMinimum"/> of it a few keys later finds its key and value in the cache. A hint, never a change.
    /// </summary>
    public unsafe void Prefetch(long key)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var slot = Slot(key);
        Sse.Prefetch0(Unsafe.AsPointer(ref _keys[slot]));
        Sse.Prefetch0(Unsafe.AsPointer(ref _values[slot]));
    }

    /// <summary>Visits every stored key and value, in no particular order.</summary>
    public void ForEach<TVisitor>(ref TVisitor visitor)
        where TVisitor : struct, IPairVisitor => ForEach(ref visitor, 0, _keys.Length);

    /// <summary>
    /// Visits the keys and values stored in slots <paramref name="from"/> to <paramref name="to"/> (exclusive) of
    /// <see cref="Capacity"/>: disjoint ranges together visit every entry once, so threads may share the work.
    /// </summary>
    public void ForEach<TVisitor>(ref TVisitor visitor, int from, int to)
        where TVisitor : struct, IPairVisitor
    {
        var keys = _keys;
        var values = _values;
        for (var i = from; i < to; i++)
        {
            if (keys[i] != 0)
            {
                visitor.Visit(keys[i], values[i]);
            }
        }
    }

    // Fibonacci hashing spreads the packed (reader, thing) indexes, whose low bits are dense, over the table.
    private int Slot(long key) => (int)((ulong)(key * -7046029254386353131L) >> _shift);

    private void Grow()
    {
        var oldKeys = _keys;
        var oldValues = _values;
        _keys = new long[oldKeys.Length * 2];
        _values = new long[_keys.Length];
        _shift--;
        var mask = _keys.Length - 1;
        for (var i = 0; i < oldKeys.Length; i++)
        {
            var key = oldKeys[i];
            if (key == 0)
            {
                continue;
            }

            var slot = Slot(key);
            while (_keys[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _keys[slot] = key;
            _values[slot] = oldValues[i];
        }
    }
}

/// <summary>Receives the entries of a <see cref="PairTable"/>.</summary>
internal interface IPairVisitor
{
    void Visit(long key, long value);
}
