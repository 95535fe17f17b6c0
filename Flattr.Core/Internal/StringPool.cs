using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace Flattr.Internal;

/// <summary>
/// Gives each distinct id a dense integer. Ids are looked up as spans, so a row costs no string; their characters live
/// in one growing arena and the table holds only integers, so a lookup touches two or three cache lines instead of a
/// dictionary's bucket, entry and string object. The hash is seeded per pool, so ids chosen by an installation
/// cannot be crafted to collide.
/// </summary>
internal sealed class StringPool
{
    private readonly ulong _seed = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8)) | 1;
    // A slot holds the entry's hash in its high half and the entry index + 1 in its low half (0 marks an empty slot), so a
    // probe rejects other ids without reading the entry. An entry's place in the arena is packed the same way (start,
    // length), so a hit reads one slot, one span and the characters: three cache lines in a table of millions.
    private long[] _slots;
    private long[] _spans;
    private string?[] _strings;
    private char[] _arena;
    private int _arenaLength;

    public StringPool(int capacity = 16)
    {
        capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 16));
        _slots = new long[capacity * 2];
        _spans = new long[capacity];
        _strings = new string?[capacity];
        _arena = new char[capacity * 8];
    }

    public int Count { get; private set; }

    /// <summary>The id with the given index, as a string (made once, on first request).</summary>
    public string this[int index] => _strings[index] ??= new string(Chars(index));

    public int Intern(ReadOnlySpan<char> name, out bool added) => Intern(name, Hash(name), out added);

    /// <summary>As <see cref="Intern(ReadOnlySpan{char}, out bool)"/>, with the name's <see cref="Hash"/> computed before (on any thread).</summary>
    public int Intern(ReadOnlySpan<char> name, int hash, out bool added)
    {
        var mask = _slots.Length - 1;
        var slot = hash & mask;
        while (true)
        {
            var packed = _slots[slot];
            if (packed == 0)
            {
                break;
            }

            if ((int)(packed >> 32) == hash && Chars((int)packed - 1).SequenceEqual(name))
            {
                added = false;
                return (int)packed - 1;
            }

            slot = (slot + 1) & mask;
        }

        added = true;
        return Add(name, hash, slot);
    }

    public bool TryGet(ReadOnlySpan<char> name, out int index)
    {
        var hash = Hash(name);
        var mask = _slots.Length - 1;
        for (var slot = hash & mask; _slots[slot] != 0; slot = (slot + 1) & mask)
        {
            var packed = _slots[slot];
            if ((int)(packed >> 32) == hash && Chars((int)packed - 1).SequenceEqual(name))
            {
                index = (int)packed - 1;
                return true;
            }
        }

        index = -1;
        return false;
    }

    /// <summary>For each index, its position when all names are sorted in ordinal order.</summary>
    public int[] OrdinalRanks()
    {
        var order = OrdinalOrder();
        var ranks = new int[order.Length];
        for (var position = 0; position < order.Length; position++)
        {
            ranks[order[position]] = position;
        }

        return ranks;
    }

    /// <summary>The indexes sorted by name in ordinal (UTF-16 code unit) order, as <see cref="string.CompareOrdinal(string, string)"/> sorts.</summary>
    public int[] OrdinalOrder()
    {
        var order = new int[Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        SortByChunk(order, new ulong[order.Length], 0, order.Length, 0);
        return order;
    }

    // The chunks of a name: three UTF-16 code units in 17 bits each, a unit u as u + 1 and 0 past the name's end, so
    // comparing chunks as numbers compares names ordinally, and a shorter name sorts before a longer one that starts
    // with it. Sorting by chunk with the runtime's sort of numbers, then each run of equal chunks by the next chunk,
    // sorts a million ids several times faster than comparing them as spans.
    private const int ChunkChars = 3;

    private void SortByChunk(int[] order, ulong[] keys, int start, int length, int depth)
    {
        var offset = depth * ChunkChars;
        for (var i = start; i < start + length; i++)
        {
            keys[i] = Chunk(Chars(order[i]), offset);
        }

        Array.Sort(keys, order, start, length);
        for (var run = start; run < start + length;)
        {
            var end = run + 1;
            while (end < start + length && keys[end] == keys[run])
            {
                end++;
            }

            // Equal chunks whose last unit is not past the end: names that go on, told apart further in.
            if (end - run > 1 && (keys[run] & 0x1FFFF) != 0)
            {
                SortByChunk(order, keys, run, end - run, depth + 1);
            }

            run = end;
        }
    }

    private static ulong Chunk(ReadOnlySpan<char> name, int offset)
    {
        ulong key = 0;
        for (var k = 0; k < ChunkChars; k++)
        {
            var at = offset + k;
            key = (key << 17) | (at < name.Length ? name[at] + 1UL : 0UL);
        }

        return key;
    }

    private ReadOnlySpan<char> Chars(int index)
    {
        var span = _spans[index];
        return _arena.AsSpan((int)(span >> 32), (int)span);
    }

    private int Add(ReadOnlySpan<char> name, int hash, int slot)
    {
        var index = Count;
        if (index == _spans.Length)
        {
            var size = index * 2;
            Array.Resize(ref _spans, size);
            Array.Resize(ref _strings, size);
        }

        if (_arenaLength + name.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaLength + name.Length));
        }

        name.CopyTo(_arena.AsSpan(_arenaLength));
        _spans[index] = ((long)_arenaLength << 32) | (uint)name.Length;
        _arenaLength += name.Length;
        _slots[slot] = ((long)hash << 32) | (uint)(index + 1);
        Count++;

        // Keep the table at most half full, so probes stay short.
        if (Count * 2 > _slots.Length)
        {
            Rehash();
        }

        return index;
    }

    private void Rehash()
    {
        var old = _slots;
        _slots = new long[old.Length * 2];
        var mask = _slots.Length - 1;
        foreach (var packed in old)
        {
            if (packed == 0)
            {
                continue;
            }

            var slot = (int)(packed >> 32) & mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _slots[slot] = packed;
        }
    }

    /// <summary>
    /// Asks the CPU to start loading what a look-up of a name with this hash will read, one level further at each
    /// <paramref name="stage"/> (0: its slot; 1: the entry the slot names; 2: the entry's characters), so that look-ups
    /// issued a few rows later find them in the cache. Reads only what earlier stages loaded; a hint, never a change.
    /// </summary>
    public unsafe void Prefetch(int hash, int stage)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var slots = _slots;
        ref var slot = ref slots[hash & (slots.Length - 1)];
        if (stage == 0)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref slot));
            return;
        }

        var packed = slot;
        if (packed == 0 || (int)(packed >> 32) != hash)
        {
            return;
        }

        ref var span = ref _spans[(int)packed - 1];
        if (stage == 1)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref span));
            return;
        }

        Sse.Prefetch0(Unsafe.AsPointer(ref _arena[(int)(span >> 32)]));
    }

    /// <summary>The pool's hash of a name: seeded per pool, and safe to compute on any thread.</summary>
    // A multiply-rotate hash over eight bytes at a time: ids are short, so this beats the general-purpose string hash.
    public int Hash(ReadOnlySpan<char> name)
    {
        var bytes = MemoryMarshal.AsBytes(name);
        var h = _seed ^ ((ulong)bytes.Length * 0x9E3779B97F4A7C15UL);
        while (bytes.Length >= 8)
        {
            h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * 0xBF58476D1CE4E5B9UL, 29);
            bytes = bytes[8..];
        }

        if (bytes.Length > 0)
        {
            ulong tail = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                tail |= (ulong)bytes[i] << (8 * i);
            }

            h = BitOperations.RotateLeft((h ^ tail) * 0xBF58476D1CE4E5B9UL, 29);
        }

        h ^= h >> 31;
        h *= 0x94D049BB133111EBUL;
        h ^= h >> 32;
        return (int)h & int.MaxValue;
    }
}
