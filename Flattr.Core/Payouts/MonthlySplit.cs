using Flattr.Internal;
using Flattr.Things;

namespace Flattr.Payouts;

/// <summary>
/// The monthly split engine. Feed it every reader's budget and every click, in any order, then
/// <see cref="Compute"/>: each reader's budget, less the platform fee, is shared evenly among the distinct things
/// they flattred in the period, and each share goes to the thing's creator.
/// </summary>
/// <remarks>
/// <para>The rules, exactly:</para>
/// <list type="number">
/// <item>A click counts if its time lies in the period (UTC). A reader flattrs a thing at most once per period; repeats
/// count once, at the earliest time. A click by a reader on a thing whose creator id equals the reader id is ignored.</item>
/// <item>Per reader with budget B and n counted things: fee = floor(B × F / 10000); D = B − fee; each thing gets
/// floor(D / n), and the D mod n leftover units go one each to the things clicked earliest (ties by thing id, ordinal).</item>
/// <item>A reader with a budget but no counted click keeps the whole budget (carried over, no fee). A reader with clicks
/// but no budget contributes nothing.</item>
/// <item>Total budget = fee + carried over + distributed, and the creators' amounts sum to distributed; the engine
/// checks both and throws if either ever fails.</item>
/// </list>
/// <para>Memory grows with the number of distinct readers, things, creators and (reader, thing) pairs, never with the
/// number of click rows, so a month of ten million rows streams through it.</para>
/// </remarks>
public sealed class MonthlySplit
{
    /// <summary>The default platform fee: 1000 basis points, 10%, as the original Flattr charged.</summary>
    public const int DefaultFeeBasisPoints = 1000;

    /// <summary>The largest budget one reader may have, in minor units (10^15).</summary>
    public const long MaxBudget = 1_000_000_000_000_000;

    private const long NoBudget = -1;

    private readonly StringPool _readers = new(1024);
    private readonly StringPool _things = new(1024);
    private readonly StringPool _creators = new(256);
    private readonly List<int> _creatorOfThing = new(1024);
    private readonly List<long> _budgets = new(1024);
    private readonly PairTable _pairs = new();
    private readonly long _startTicks;
    private readonly long _endTicks;
    private long _totalBudget;
    private int _readersWithBudget;
    private long _clickRows;
    private long _duplicateClicks;
    private long _selfClicks;
    private long _clicksOutsidePeriod;

    /// <summary>Creates an engine for <paramref name="period"/> with a fee of <paramref name="feeBasisPoints"/> (0 to 10000).</summary>
    public MonthlySplit(Period period, int feeBasisPoints = DefaultFeeBasisPoints)
    {
        if (feeBasisPoints is < 0 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(feeBasisPoints), feeBasisPoints, "The fee must be between 0 and 10000 basis points.");
        }

        Period = period;
        FeeBasisPoints = feeBasisPoints;
        _startTicks = period.Start.UtcTicks;
        _endTicks = period.End.UtcTicks;
    }

    /// <summary>The month being split.</summary>
    public Period Period { get; }

    /// <summary>The platform fee in basis points.</summary>
    public int FeeBasisPoints { get; }

    /// <summary>Records a reader's budget for the period, in minor units (0 to <see cref="MaxBudget"/>), once per reader.</summary>
    /// <exception cref="SplitInputException">The id is empty, the budget out of range, or the reader already has one.</exception>
    public void AddBudget(ReadOnlySpan<char> readerId, long budget)
    {
        RequireId(readerId, "reader");
        if (budget is < 0 or > MaxBudget)
        {
            throw new SplitInputException($"budget {budget} is out of range; it must be between 0 and {MaxBudget} minor units.");
        }

        var reader = InternReader(readerId);
        if (_budgets[reader] != NoBudget)
        {
            throw new SplitInputException($"reader '{_readers[reader]}' already has a budget; each reader may have only one.");
        }

        _budgets[reader] = budget;
        _totalBudget += budget; // at most int.MaxValue readers × 10^15 would overflow; checked below
        if (_totalBudget < 0)
        {
            throw new SplitInputException("the budgets add up to more than the engine can represent (9223372036854775807 minor units).");
        }

        _readersWithBudget++;
    }

    /// <summary>Records a click row. Rows outside the period are checked but otherwise ignored.</summary>
    /// <exception cref="SplitInputException">An id is empty, or the thing was already given a different creator.</exception>
    public void AddClick(ReadOnlySpan<char> readerId, ReadOnlySpan<char> thingId, ReadOnlySpan<char> creatorId, DateTimeOffset clickedAt)
    {
        if (CheckClick(readerId, thingId, creatorId, clickedAt, out var thing, out var ticks))
        {
            RecordPair(readerId, thing, ticks);
        }
    }

    /// <summary>
    /// Sizes the engine for about <paramref name="clickRows"/> click rows before they are added, so its pair table is
    /// allocated once instead of growing, and moving every pair it holds, each time it fills (several times for a large
    /// month, at a cache miss a pair). A hint: more rows than expected are still taken, fewer waste only memory.
    /// </summary>
    /// <param name="clickRows">The expected number of click rows; up front the table is sized for at most about 100 million.</param>
    public void ExpectClicks(long clickRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clickRows);
        _pairs.EnsureCapacity((int)Math.Min(clickRows, int.MaxValue));
    }

    /// <summary>
    /// Records many click rows using two threads: <paramref name="produce"/> runs on a second thread and gives each row
    /// to the <see cref="ClickFeed"/> it receives, which checks it there, while this thread records the rows as they
    /// come. The result is exactly that of calling <see cref="AddClick(ReadOnlySpan{char}, ReadOnlySpan{char}, ReadOnlySpan{char}, DateTimeOffset)"/>
    /// for each row in the same order. Returns when <paramref name="produce"/> has returned and every row is recorded.
    /// </summary>
    /// <remarks>
    /// A month's split is bound by memory latency (each row looks up ids in tables far larger than the CPU caches);
    /// reading the rows and the thing and creator look-ups happen on the second core, the reader and pair look-ups here.
    /// No other method of this engine may be called until this one returns.
    /// </remarks>
    /// <exception cref="SplitInputException">A row is bad (as for <c>AddClick</c>); the rows before it are recorded.</exception>
    /// <exception cref="Exception">Whatever <paramref name="produce"/> throws is rethrown here, unchanged, once the rows it gave before are recorded.</exception>
    public void AddClicks(Action<ClickFeed> produce)
    {
        ArgumentNullException.ThrowIfNull(produce);
        using var feed = new ClickFeed(this);
        var producer = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    produce(feed);
                }
                finally
                {
                    feed.Flush();
                    feed.Complete();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        try
        {
            feed.Drain();
        }
        catch
        {
            // The producer stops at its next row; its own exception (the cancellation) is not the cause, this one is.
            feed.Abandon();
            try
            {
                producer.Wait();
            }
            catch (AggregateException)
            {
            }

            throw;
        }

        producer.GetAwaiter().GetResult();
    }

    /// <summary>Records a click (the convenience form of the span overload).</summary>
    public void AddClick(Click click)
    {
        ArgumentNullException.ThrowIfNull(click);
        AddClick(click.ReaderId, click.ThingId, click.CreatorId, click.ClickedAt);
    }

    /// <summary>
    /// Splits the budgets. The engine is not changed, so more input may follow and <see cref="Compute"/> run again.
    /// </summary>
    /// <remarks>
    /// The work is shared among the thread pool's threads (sorting the ids, grouping the pairs, and without an observer
    /// splitting the readers); the result is the same as on one thread. No other method of this engine may be called
    /// until this one returns.
    /// </remarks>
    /// <param name="observer">Optional: receives every reader's split, in ordinal order of reader id, on the calling thread.</param>
    /// <param name="includeShares">
    /// Whether the observer's splits list each thing's share; false gives them an empty list, which saves an allocation
    /// per click when only each reader's totals are wanted.
    /// </param>
    /// <exception cref="InvalidOperationException">An invariant failed (a bug, never bad input).</exception>
    public SplitResult Compute(Action<ReaderSplit>? observer = null, bool includeShares = true)
    {
        var readerCount = _readers.Count;
        var pairCount = _pairs.Count;

        // The orders of the ids are sorts of strings that do not depend on the pairs: they run on another thread while
        // the pairs are grouped.
        var orders = Task.Run(() => (
            ThingRanks: _things.OrdinalRanks(),
            Creators: _creators.OrdinalOrder(),
            Readers: observer is null ? null : _readers.OrdinalOrder()));

        // Group the pairs by reader with a counting sort (O(pairs), no per-reader lists), each half of the table on a
        // thread of its own: count each reader's pairs in either half, then place them, the lower half's first.
        var half = _pairs.Capacity / 2;
        var lowCounts = new int[readerCount + 1];
        var highCounts = new int[readerCount + 1];
        Parallel.Invoke(
            () =>
            {
                var visitor = new CountPerReader(lowCounts);
                _pairs.ForEach(ref visitor, 0, half);
            },
            () =>
            {
                var visitor = new CountPerReader(highCounts);
                _pairs.ForEach(ref visitor, half, _pairs.Capacity);
            });
        var offsets = new int[readerCount + 1];
        var lowCursors = new int[readerCount];
        var highCursors = new int[readerCount];
        for (var r = 0; r < readerCount; r++)
        {
            lowCursors[r] = offsets[r];
            highCursors[r] = offsets[r] + lowCounts[r + 1];
            offsets[r + 1] = highCursors[r] + highCounts[r + 1];
        }

        var entries = new PairEntry[pairCount];
        Parallel.Invoke(
            () =>
            {
                var visitor = new PlacePairs(entries, lowCursors);
                _pairs.ForEach(ref visitor, 0, half);
            },
            () =>
            {
                var visitor = new PlacePairs(entries, highCursors);
                _pairs.ForEach(ref visitor, half, _pairs.Capacity);
            });

        var (thingRanks, creatorOrder, readerOrder) = orders.GetAwaiter().GetResult();
        var creatorAmounts = new long[_creators.Count];
        ReaderTotals totals;
        if (observer is null)
        {
            // Nobody waits for the readers in order: each half of them on a thread, with its own sums per creator.
            var middle = readerCount / 2;
            var upperAmounts = new long[_creators.Count];
            ReaderTotals lower = default, upper = default;
            Parallel.Invoke(
                () => lower = SplitReaders(0, middle, null, entries, offsets, thingRanks, creatorAmounts, null, false),
                () => upper = SplitReaders(middle, readerCount, null, entries, offsets, thingRanks, upperAmounts, null, false));
            for (var c = 0; c < creatorAmounts.Length; c++)
            {
                creatorAmounts[c] += upperAmounts[c];
            }

            totals = lower.Add(upper);
        }
        else
        {
            totals = SplitReaders(0, readerCount, readerOrder, entries, offsets, thingRanks, creatorAmounts, observer, includeShares);
        }

        var (fee, carriedOver, distributed, readersWhoFlattred) = totals;
        var creators = new List<CreatorAmount>();
        long paidToCreators = 0;
        foreach (var creator in creatorOrder)
        {
            var amount = creatorAmounts[creator];
            paidToCreators += amount;
            if (amount > 0)
            {
                creators.Add(new CreatorAmount(_creators[creator], amount));
            }
        }

        // Money is never created or lost: these are the engine's own proof of that, checked on every run.
        if (_totalBudget != fee + carriedOver + distributed)
        {
            throw new InvalidOperationException(
                $"Split invariant broken: total budget {_totalBudget} != fee {fee} + carried over {carriedOver} + distributed {distributed}.");
        }

        if (paidToCreators != distributed)
        {
            throw new InvalidOperationException(
                $"Split invariant broken: creators receive {paidToCreators} but {distributed} was distributed.");
        }

        return new SplitResult(
            Period,
            FeeBasisPoints,
            _totalBudget,
            fee,
            carriedOver,
            distributed,
            creators,
            new SplitStatistics(
                _clickRows,
                pairCount,
                _duplicateClicks,
                _selfClicks,
                _clicksOutsidePeriod,
                _readersWithBudget,
                readersWhoFlattred,
                _things.Count,
                creators.Count));
    }

    // Splits the budgets of readers from..to (positions in readerOrder, or reader indexes without one), adding each
    // thing's share to its creator's amount.
    private ReaderTotals SplitReaders(
        int from, int to, int[]? readerOrder, PairEntry[] entries, int[] offsets, int[] thingRanks, long[] creatorAmounts,
        Action<ReaderSplit>? observer, bool includeShares)
    {
        long fee = 0, carriedOver = 0, distributed = 0;
        var readersWhoFlattred = 0;
        var withShares = observer is not null && includeShares;
        for (var i = from; i < to; i++)
        {
            var reader = readerOrder is null ? i : readerOrder[i];
            var budget = Math.Max(_budgets[reader], 0);
            var mine = entries.AsSpan(offsets[reader], offsets[reader + 1] - offsets[reader]);
            if (mine.IsEmpty)
            {
                carriedOver += budget;
                observer?.Invoke(new ReaderSplit(_readers[reader], budget, 0, budget, []));
                continue;
            }

            readersWhoFlattred++;
            var readerFee = (long)((Int128)budget * FeeBasisPoints / 10_000);
            var distributable = budget - readerFee;
            var quotient = Math.DivRem(distributable, mine.Length, out var leftover);
            if (leftover > 0 || withShares)
            {
                // The leftover units go to the earliest clicks, ties broken by thing id.
                mine.Sort(new EarliestFirst(thingRanks));
            }

            var shares = withShares ? new ThingShare[mine.Length] : null;
            for (var k = 0; k < mine.Length; k++)
            {
                var amount = k < leftover ? quotient + 1 : quotient;
                var creator = _creatorOfThing[mine[k].Thing];
                creatorAmounts[creator] += amount;
                if (shares is not null)
                {
                    shares[k] = new ThingShare(
                        _things[mine[k].Thing], _creators[creator], new DateTimeOffset(mine[k].Ticks, TimeSpan.Zero), amount);
                }
            }

            fee += readerFee;
            distributed += distributable;
            observer?.Invoke(new ReaderSplit(_readers[reader], budget, readerFee, 0, shares ?? []));
        }

        return new ReaderTotals(fee, carriedOver, distributed, readersWhoFlattred);
    }

    // The checks of a row and the look-ups of its thing and creator: the part of a click that a second thread can do
    // (see AddClicks). True when the row is a pair to record.
    internal bool CheckClick(ReadOnlySpan<char> readerId, ReadOnlySpan<char> thingId, ReadOnlySpan<char> creatorId, DateTimeOffset clickedAt, out int thing, out long ticks)
    {
        RequireId(readerId, "reader");
        RequireId(thingId, "thing");
        RequireId(creatorId, "creator");
        _clickRows++;

        var creator = _creators.Intern(creatorId, out _);
        thing = _things.Intern(thingId, out var newThing);
        if (newThing)
        {
            _creatorOfThing.Add(creator);
        }
        else if (_creatorOfThing[thing] != creator)
        {
            throw new SplitInputException(
                $"thing '{_things[thing]}' is listed with creator '{_creators[creator]}' but earlier with '{_creators[_creatorOfThing[thing]]}'; a thing has one creator.");
        }

        ticks = clickedAt.UtcTicks;
        if (ticks < _startTicks || ticks >= _endTicks)
        {
            _clicksOutsidePeriod++;
            return false;
        }

        if (readerId.SequenceEqual(creatorId))
        {
            _selfClicks++;
            return false;
        }

        return true;
    }

    // The reader's look-up and the (reader, thing) pair: the part of a click that touches the reader tables.
    internal void RecordPair(ReadOnlySpan<char> readerId, int thing, long ticks) => RecordPair(readerId, _readers.Hash(readerId), thing, ticks);

    internal int ReaderHash(ReadOnlySpan<char> readerId) => _readers.Hash(readerId);

    internal void PrefetchReader(int hash, int stage) => _readers.Prefetch(hash, stage);

    internal void RecordPair(ReadOnlySpan<char> readerId, int readerHash, int thing, long ticks) =>
        AddPair(PairKey(readerId, readerHash, thing), ticks);

    // The reader's look-up, giving the pair's key in the pair table; AddPair records it. Between the two a caller may
    // prefetch the key's slot (PrefetchPair), so that the table's cache miss overlaps with other rows' work.
    internal long PairKey(ReadOnlySpan<char> readerId, int readerHash, int thing)
    {
        var reader = InternReader(readerId, readerHash);
        // Reader index + 1 keeps every key non-zero, which the table uses to mark an empty slot.
        return ((long)(reader + 1) << 32) | (uint)thing;
    }

    internal void PrefetchPair(long key) => _pairs.Prefetch(key);

    internal void AddPair(long key, long ticks)
    {
        if (!_pairs.AddOrKeepMinimum(key, ticks))
        {
            _duplicateClicks++;
        }
    }

    private int InternReader(ReadOnlySpan<char> readerId) => InternReader(readerId, _readers.Hash(readerId));

    private int InternReader(ReadOnlySpan<char> readerId, int hash)
    {
        var reader = _readers.Intern(readerId, hash, out var added);
        if (added)
        {
            _budgets.Add(NoBudget);
        }

        return reader;
    }

    private static void RequireId(ReadOnlySpan<char> id, string what)
    {
        if (id.IsEmpty)
        {
            throw new SplitInputException($"the {what} id is empty.");
        }
    }

    private readonly record struct ReaderTotals(long Fee, long CarriedOver, long Distributed, int ReadersWhoFlattred)
    {
        public ReaderTotals Add(ReaderTotals other) => new(
            Fee + other.Fee, CarriedOver + other.CarriedOver, Distributed + other.Distributed, ReadersWhoFlattred + other.ReadersWhoFlattred);
    }

    private struct PairEntry
    {
        public long Ticks;
        public int Thing;
    }

    private readonly struct EarliestFirst(int[] thingRanks) : IComparer<PairEntry>
    {
        public int Compare(PairEntry x, PairEntry y)
        {
            var byTime = x.Ticks.CompareTo(y.Ticks);
            return byTime != 0 ? byTime : thingRanks[x.Thing].CompareTo(thingRanks[y.Thing]);
        }
    }

    private readonly struct CountPerReader(int[] counts) : IPairVisitor
    {
        public void Visit(long key, long value) => counts[(int)(key >> 32)]++; // reader index + 1
    }

    private readonly struct PlacePairs(PairEntry[] entries, int[] cursors) : IPairVisitor
    {
        public void Visit(long key, long value)
        {
            var reader = (int)(key >> 32) - 1;
            entries[cursors[reader]++] = new PairEntry { Ticks = value, Thing = (int)(uint)key };
        }
    }
}
