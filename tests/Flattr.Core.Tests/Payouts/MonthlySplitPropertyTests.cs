using CsCheck;
using Flattr.Payouts;
using Flattr.Things;

namespace Flattr.Core.Tests.Payouts;

/// <summary>
/// Random months checked against a deliberately naive reference implementation of the split rules, and against the
/// invariants and order independence the rules promise.
/// </summary>
public sealed class MonthlySplitPropertyTests
{
    private static readonly Period October = new(2026, 10);

    private sealed record Month(int FeeBasisPoints, (string Reader, long Budget)[] Budgets, Click[] Clicks);

    // Small id pools, so duplicates, shared creators, self-flattrs and timestamp ties are common.
    private static readonly string[] Readers = ["ann", "bob", "cy", "Dee", "émile", "r,1", "r\"2"];
    private static readonly string[] Creators = ["bob", "cat", "Dee", "zed", "ann"];

    private static readonly Gen<Month> MonthGen =
        from fee in Gen.OneOf(Gen.Int[0, 10_000], Gen.OneOf(0, 1000, 10_000))
        from thingCount in Gen.Int[1, 12]
        from creatorOfThing in Gen.Int[0, Creators.Length - 1].Array[thingCount]
        from budgets in Gen.Select(Gen.Bool, Gen.OneOf(Gen.Long[0, 5_000], Gen.Long[0, MonthlySplit.MaxBudget])).Array[Readers.Length]
        from clicks in Gen.Select(
            Gen.Int[0, Readers.Length - 1],
            Gen.Int[0, thingCount - 1],
            Gen.Int[-3, 34], // days from 1 October: some fall in September and November
            Gen.Int[0, 3], // a coarse hour, so identical instants happen
            Gen.OneOf(0, 2, -5)).Array[0, 60] // offsets in hours
        select new Month(
            fee,
            budgets.Select((b, i) => (Readers[i], b.Item2, Has: b.Item1)).Where(b => b.Has).Select(b => (b.Item1, b.Item2)).ToArray(),
            clicks.Select(c => new Click(
                Readers[c.Item1],
                $"t{c.Item2}",
                Creators[creatorOfThing[c.Item2]],
                new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(c.Item5)).AddDays(c.Item3).AddHours(c.Item4 * 6))).ToArray());

    private static SplitResult Run(Month month, Action<ReaderSplit>? observer = null, bool includeShares = true)
    {
        var split = new MonthlySplit(October, month.FeeBasisPoints);
        foreach (var (reader, budget) in month.Budgets)
        {
            split.AddBudget(reader, budget);
        }

        foreach (var click in month.Clicks)
        {
            split.AddClick(click);
        }

        return split.Compute(observer, includeShares);
    }

    /// <summary>The rules written out as plainly as possible, with no concern for memory or speed.</summary>
    private static (long Fee, long Carried, long Distributed, SortedDictionary<string, long> Creators) Reference(Month month)
    {
        var counted = month.Clicks
            .Where(c => c.ClickedAt >= October.Start && c.ClickedAt < October.End && c.ReaderId != c.CreatorId)
            .GroupBy(c => (c.ReaderId, c.ThingId))
            .Select(g => g.OrderBy(c => c.ClickedAt).First())
            .ToList();
        long fee = 0, carried = 0, distributed = 0;
        var creators = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reader, budget) in month.Budgets)
        {
            var mine = counted.Where(c => c.ReaderId == reader)
                .OrderBy(c => c.ClickedAt.UtcTicks).ThenBy(c => c.ThingId, StringComparer.Ordinal).ToList();
            if (mine.Count == 0)
            {
                carried += budget;
                continue;
            }

            var readerFee = (long)(new System.Numerics.BigInteger(budget) * month.FeeBasisPoints / 10_000);
            var d = budget - readerFee;
            fee += readerFee;
            distributed += d;
            for (var k = 0; k < mine.Count; k++)
            {
                var amount = (d / mine.Count) + (k < d % mine.Count ? 1 : 0);
                creators[mine[k].CreatorId] = creators.GetValueOrDefault(mine[k].CreatorId) + amount;
            }
        }

        foreach (var zero in creators.Where(c => c.Value == 0).Select(c => c.Key).ToList())
        {
            creators.Remove(zero);
        }

        return (fee, carried, distributed, creators);
    }

    [Fact]
    public void Compute_AnyMonth_MatchesTheReferenceImplementationOfTheRules()
    {
        MonthGen.Sample(month =>
        {
            var result = Run(month);
            var expected = Reference(month);
            Assert.Equal(expected.Fee, result.Fee);
            Assert.Equal(expected.Carried, result.CarriedOver);
            Assert.Equal(expected.Distributed, result.Distributed);
            Assert.Equal(expected.Creators.Select(c => (c.Key, c.Value)), result.Creators.Select(c => (c.CreatorId, c.Amount)));
        }, iter: 2000);
    }

    [Fact]
    public void Compute_AnyMonth_ConservesMoneyToTheMinorUnit()
    {
        MonthGen.Sample(month =>
        {
            var result = Run(month);
            return result.TotalBudget == month.Budgets.Sum(b => b.Budget)
                && result.TotalBudget == result.Fee + result.CarriedOver + result.Distributed
                && result.Creators.Sum(c => c.Amount) == result.Distributed
                && result.Creators.All(c => c.Amount > 0);
        }, iter: 2000);
    }

    [Fact]
    public void Compute_ShufflingTheRows_NeverChangesTheResult()
    {
        Gen.Select(MonthGen, Gen.Int).Sample((month, seed) =>
        {
            var random = new Random(seed);
            var shuffled = month with
            {
                Budgets = [.. month.Budgets.OrderBy(_ => random.Next())],
                Clicks = [.. month.Clicks.OrderBy(_ => random.Next())],
            };
            var a = Run(month);
            var b = Run(shuffled);
            return a.Fee == b.Fee && a.CarriedOver == b.CarriedOver && a.Distributed == b.Distributed
                && a.Creators.SequenceEqual(b.Creators) && a.Statistics == b.Statistics;
        }, iter: 1000);
    }

    [Fact]
    public void Compute_AnyMonth_EachReadersSharesDifferByAtMostOneAndSumToBudgetLessFee()
    {
        MonthGen.Sample(month =>
        {
            var readers = new List<ReaderSplit>();
            Run(month, readers.Add);
            return readers.All(r =>
                r.Shares.Count == 0
                    ? r.CarriedOver == r.Budget && r.Fee == 0
                    : r.Shares.Sum(s => s.Amount) == r.Budget - r.Fee
                        && r.Shares.Max(s => s.Amount) - r.Shares.Min(s => s.Amount) <= 1
                        && r.Fee == (long)((Int128)r.Budget * month.FeeBasisPoints / 10_000));
        }, iter: 1000);
    }

    [Fact]
    public void Compute_WithoutShares_GivesEveryReaderTheSameTotalsAndTheSameResult()
    {
        MonthGen.Sample(month =>
        {
            var withShares = new List<ReaderSplit>();
            var withoutShares = new List<ReaderSplit>();
            var a = Run(month, withShares.Add);
            var b = Run(month, withoutShares.Add, includeShares: false);
            return withoutShares.All(r => r.Shares.Count == 0)
                && withShares.Select(r => (r.ReaderId, r.Budget, r.Fee, r.CarriedOver)).SequenceEqual(withoutShares.Select(r => (r.ReaderId, r.Budget, r.Fee, r.CarriedOver)))
                && a.Creators.SequenceEqual(b.Creators) && a.Fee == b.Fee && a.Distributed == b.Distributed && a.CarriedOver == b.CarriedOver;
        }, iter: 1000);
    }

    [Fact]
    public void Compute_WithAnObserver_GivesTheSameResultAsWithoutOne()
    {
        // Without an observer the readers are split on two threads; with one, in order on the caller's.
        MonthGen.Sample(month =>
        {
            var alone = Run(month);
            var observed = Run(month, _ => { });
            return alone.Creators.SequenceEqual(observed.Creators) && alone.Statistics == observed.Statistics
                && alone.Fee == observed.Fee && alone.Distributed == observed.Distributed && alone.CarriedOver == observed.CarriedOver;
        }, iter: 1000);
    }

    [Fact]
    public void AddClicks_OnTwoThreads_GivesExactlyTheResultOfAddingEachRowInTurn()
    {
        MonthGen.Sample(month =>
        {
            var sequential = Run(month);
            var split = new MonthlySplit(October, month.FeeBasisPoints);
            foreach (var (reader, budget) in month.Budgets)
            {
                split.AddBudget(reader, budget);
            }

            split.AddClicks(feed =>
            {
                foreach (var click in month.Clicks)
                {
                    feed.Add(click.ReaderId, click.ThingId, click.CreatorId, click.ClickedAt);
                }
            });
            var concurrent = split.Compute();
            return sequential.Fee == concurrent.Fee && sequential.CarriedOver == concurrent.CarriedOver
                && sequential.Distributed == concurrent.Distributed && sequential.Creators.SequenceEqual(concurrent.Creators)
                && sequential.Statistics == concurrent.Statistics;
        }, iter: 500);
    }

    [Fact]
    public void ExpectClicks_AnyHintBeforeTheClicks_ChangesNothingInTheResult()
    {
        Gen.Select(MonthGen, Gen.OneOf(Gen.Long[0, 100], Gen.Long[40_000, 200_000])).Sample((month, hint) =>
        {
            var plainReaders = new List<ReaderSplit>();
            var plain = Run(month, plainReaders.Add);
            var split = new MonthlySplit(October, month.FeeBasisPoints);
            foreach (var (reader, budget) in month.Budgets)
            {
                split.AddBudget(reader, budget);
            }

            split.ExpectClicks(hint);
            foreach (var click in month.Clicks)
            {
                split.AddClick(click.ReaderId, click.ThingId, click.CreatorId, click.ClickedAt);
            }

            var hintedReaders = new List<ReaderSplit>();
            var hinted = split.Compute(hintedReaders.Add);
            return plain.Fee == hinted.Fee && plain.CarriedOver == hinted.CarriedOver && plain.Distributed == hinted.Distributed
                && plain.Creators.SequenceEqual(hinted.Creators) && plain.Statistics == hinted.Statistics
                && plainReaders.Select(r => (r.ReaderId, r.Budget, r.Fee, r.CarriedOver, r.Shares.Count))
                    .SequenceEqual(hintedReaders.Select(r => (r.ReaderId, r.Budget, r.Fee, r.CarriedOver, r.Shares.Count)));
        }, iter: 200);
    }
}
