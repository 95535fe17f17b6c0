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

    private readonly MonthlySplit _split;
    private readonly BlockingCollection<Batch> _full = new(Batches - 2);
    private readonly BlockingCollection<Batch> _empty = new(Batches);
    private readonly CancellationTokenSource _abandoned = new();
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

        _batch.Add(readerId, thing, ticks);
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

    internal void Flush()
    {
        if (_batch.Count > 0)
        {
            _full.Add(_batch, _abandoned.Token);
        }
    }

    internal void Complete() => _full.CompleteAdding();

    internal void Abandon() => _abandoned.Cancel();

    /// <summary>Records every row handed over, until the producer completes.</summary>
    internal void Drain()
    {
        foreach (var batch in _full.GetConsumingEnumerable())
        {
            var start = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                var end = batch.ReaderEnds[i];
                _split.RecordPair(batch.Chars.AsSpan(start, end - start), batch.Things[i], batch.Ticks[i]);
                start = end;
            }

            batch.Clear();
            _empty.Add(batch);
        }
    }

    private sealed class Batch
    {
        public char[] Chars = new char[BatchRows * 16];
        public readonly int[] ReaderEnds = new int[BatchRows];
        public readonly int[] Things = new int[BatchRows];
        public readonly long[] Ticks = new long[BatchRows];
        public int Count;
        private int _length;

        public void Add(ReadOnlySpan<char> readerId, int thing, long ticks)
        {
            if (_length + readerId.Length > Chars.Length)
            {
                Array.Resize(ref Chars, Math.Max(Chars.Length * 2, _length + readerId.Length));
            }

            readerId.CopyTo(Chars.AsSpan(_length));
            _length += readerId.Length;
            ReaderEnds[Count] = _length;
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
