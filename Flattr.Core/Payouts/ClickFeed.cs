using System.Collections.Concurrent;

namespace Flattr.Payouts;

/// <summary>
/// Where the producer given to <see cref="MonthlySplit.AddClicks"/> puts click rows. Each row is checked at once, on
/// the producer's thread, and handed over in batches to the thread that records them.
/// </summary>
public sealed class ClickFeed : IDisposable
{
    // Batches of this many rows: large enough that handing one over is rare, small enough to stay in the cache.
    private const int BatchRows = 4096;
    private const int Batches = 8;

    // Rows between the prefetch stages of a reader look-up: about a memory latency's worth of work.
    private const int PrefetchDistance = 4;

    private readonly MonthlySplit _split;
    private readonly BlockingCollection<Batch> _full = new(Batches - 2);
    private readonly BlockingCollection<Batch> _empty = new(Batches);
    private readonly CancellationTokenSource _abandoned = new();
    private readonly (long Key, long Ticks)[] _pending = new (long, long)[PrefetchDistance];
    private Batch _batch = new();

    internal ClickFeed(MonthlySplit split)
    {
        _split = split;
        for (var i = 1; i < Batches; i++)
        {
            _empty.Add(new Batch());
        }
    }

    /// <summary>Adds a click row, exactly as <see cref="MonthlySplit.AddClick(ReadOnlySpan{char}, ReadOnlySpan{char}, ReadOnlySpan{char}, DateTimeOffset)"/> would.</summary>
    /// <exception cref="SplitInputException">An id is empty, or the thing was already given a different creator.</exception>
    /// <exception cref="OperationCanceledException">The recording thread failed; stop producing.</exception>
    public void Add(ReadOnlySpan<char> readerId, ReadOnlySpan<char> thingId, ReadOnlySpan<char> creatorId, DateTimeOffset clickedAt)
    {
        _abandoned.Token.ThrowIfCancellationRequested();
        if (!_split.CheckClick(readerId, thingId, creatorId, clickedAt, out var thing, out var ticks))
        {
            return;
        }

        _batch.Add(readerId, _split.ReaderHash(readerId), thing, ticks);
        if (_batch.Count == BatchRows)
        {
            _full.Add(_batch, _abandoned.Token);
            _batch = _empty.Take(_abandoned.Token);
            _batch.Clear();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _full.Dispose();
        _empty.Dispose();
        _abandoned.Dispose();
    }

    /// <summary>Hands over the rows of the last, partial batch (also when the producer failed: the rows before the failure count).</summary>
    internal void Flush()
    {
        if (_batch.Count > 0 && !_abandoned.IsCancellationRequested)
        {
            _full.Add(_batch, _abandoned.Token);
        }
    }

    internal void Complete() => _full.CompleteAdding();

    internal void Abandon() => _abandoned.Cancel();

    /// <summary>Records every row handed over, until the producer completes.</summary>
    internal void Drain()
    {
        long pending = 0; // pairs keyed so far; the last PrefetchDistance of them wait in _pending
        foreach (var batch in _full.GetConsumingEnumerable())
        {
            // The reader look-ups miss the cache (a month has a million readers, in no order): the hashes are known
            // ahead, so the slot, entry and characters of the reader a few rows on are requested while this one is
            // recorded, a stage a row.
            var start = 0;
            var hashes = batch.ReaderHashes;
            var count = batch.Count;
            for (var i = 0; i < count; i++)
            {
                if (i + (3 * PrefetchDistance) < count)
                {
                    _split.PrefetchReader(hashes[i + (3 * PrefetchDistance)], 0);
                }

                if (i + (2 * PrefetchDistance) < count)
                {
                    _split.PrefetchReader(hashes[i + (2 * PrefetchDistance)], 1);
                }

                if (i + PrefetchDistance < count)
                {
                    _split.PrefetchReader(hashes[i + PrefetchDistance], 2);
                }

                // The pair's slot misses the cache too: it is requested now and the pair added PrefetchDistance rows on.
                var end = batch.ReaderEnds[i];
                var key = _split.PairKey(batch.Chars.AsSpan(start, end - start), hashes[i], batch.Things[i]);
                start = end;
                _split.PrefetchPair(key);
                var next = _pending[pending % PrefetchDistance];
                if (pending >= PrefetchDistance)
                {
                    _split.AddPair(next.Key, next.Ticks);
                }

                _pending[pending % PrefetchDistance] = (key, batch.Ticks[i]);
                pending++;
            }

            batch.Clear();
            _empty.Add(batch);
        }

        for (var k = Math.Max(pending - PrefetchDistance, 0); k < pending; k++)
        {
            var (key, ticks) = _pending[k % PrefetchDistance];
            _split.AddPair(key, ticks);
        }
    }

    private sealed class Batch
    {
        public char[] Chars = new char[BatchRows * 16];
        public readonly int[] ReaderEnds = new int[BatchRows];
        public readonly int[] ReaderHashes = new int[BatchRows];
        public readonly int[] Things = new int[BatchRows];
        public readonly long[] Ticks = new long[BatchRows];
        public int Count;
        private int _length;

        public void Add(ReadOnlySpan<char> readerId, int readerHash, int thing, long ticks)
        {
            if (_length + readerId.Length > Chars.Length)
            {
                Array.Resize(ref Chars, Math.Max(Chars.Length * 2, _length + readerId.Length));
            }

            readerId.CopyTo(Chars.AsSpan(_length));
            _length += readerId.Length;
            ReaderEnds[Count] = _length;
            ReaderHashes[Count] = readerHash;
            Things[Count] = thing;
            Ticks[Count] = ticks;
            Count++;
        }

        public void Clear()
        {
            Count = 0;
            _length = 0;
        }
    }
}
