using Flattr.Payouts;

namespace Flattr.Core.Tests.Payouts;

public sealed class MonthlySplitTests
{
    private static readonly Period October = new(2026, 10);

    private static DateTimeOffset At(int day, int hour = 12, int minute = 0) => new(2026, 10, day, hour, minute, 0, TimeSpan.Zero);

    private static Dictionary<string, long> ByCreator(SplitResult result) => result.Creators.ToDictionary(c => c.CreatorId, c => c.Amount);

    [Fact]
    public void Compute_ReaderWithTwoThings_TakesTenPercentFeeAndSplitsTheRestEvenly()
    {
        var split = new MonthlySplit(October);
        split.AddBudget("ann", 1000);
        split.AddClick("ann", "post-1", "bob", At(1));
        split.AddClick("ann", "photo-7", "cat", At(2));

        var result = split.Compute();

        Assert.Equal(1000, result.TotalBudget);
        Assert.Equal(100, result.Fee);
        Assert.Equal(900, result.Distributed);
        Assert.Equal(0, result.CarriedOver);
        Assert.Equal(new Dictionary<string, long> { ["bob"] = 450, ["cat"] = 450 }, ByCreator(result));
    }

    [Fact]
    public void Compute_FeeIsFloorOfBudgetTimesBasisPoints()
    {
        // 999 × 1000 / 10000 = 99.9 → 99; D = 900.
        var split = new MonthlySplit(October);
        split.AddBudget("ann", 999);
        split.AddClick("ann", "t", "bob", At(1));

        var result = split.Compute();

        Assert.Equal(99, result.Fee);
        Assert.Equal(900, result.Distributed);
    }

    [Fact]
    public void Compute_LeftoverUnitsGoToTheEarliestClickedThings()
    {
        // B = 1000, fee 100, D = 900 over 7 things: 128 each, 900 mod 7 = 4 leftover units to the 4 earliest clicks.
        var split = new MonthlySplit(October);
        split.AddBudget("ann", 1000);
        for (var day = 7; day >= 1; day--)
        {
            split.AddClick("ann", $"t{day}", $"c{day}", At(day));
        }

        var amounts = ByCreator(split.Compute());

        Assert.Equal([129L, 129, 129, 129, 128, 128, 128], Enumerable.Range(1, 7).Select(d => amounts[$"c{d}"]));
    }

    [Fact]
    public void Compute_LeftoverTiesAtTheSameInstantGoByOrdinalThingId()
    {
        // D = 2 over 3 things clicked at the same instant: "B" < "a" < "b" in ordinal order, so B and a get a unit each.
        var split = new MonthlySplit(October, feeBasisPoints: 0);
        split.AddBudget("ann", 2);
        split.AddClick("ann", "b", "cb", At(3));
        split.AddClick("ann", "a", "ca", At(3));
        split.AddClick("ann", "B", "cB", At(3));

        var amounts = ByCreator(split.Compute());

        Assert.Equal(1, amounts["cB"]);
        Assert.Equal(1, amounts["ca"]);
        Assert.False(amounts.ContainsKey("cb"));
    }

    [Fact]
    public void Compute_DuplicateClicksCountOnceAtTheEarliestTime()
    {
        // Without dedupe "t1" would count twice; with its earliest time (day 9) it is later than "t2" (day 5),
        // so t2 gets the leftover unit. D = 9 over 2 things: 5 and 4.
        var split = new MonthlySplit(October, feeBasisPoints: 0);
        split.AddBudget("ann", 9);
        split.AddClick("ann", "t1", "c1", At(20));
        split.AddClick("ann", "t2", "c2", At(5));
        split.AddClick("ann", "t1", "c1", At(9));
        split.AddClick("ann", "t1", "c1", At(30));

        var result = split.Compute();

        Assert.Equal(new Dictionary<string, long> { ["c1"] = 4, ["c2"] = 5 }, ByCreator(result));
        Assert.Equal(2, result.Statistics.CountedClicks);
        Assert.Equal(2, result.Statistics.DuplicateClicks);
    }

    [Fact]
    public void Compute_ClicksCountOnlyInsideThePeriodInUtc()
    {
        var split = new MonthlySplit(October, feeBasisPoints: 0);
        split.AddBudget("ann", 300);
        // 2026-10-01T01:30+02:00 is 2026-09-30T23:30Z: September, ignored.
        split.AddClick("ann", "sept", "c-sept", new DateTimeOffset(2026, 10, 1, 1, 30, 0, TimeSpan.FromHours(2)));
        // 2026-10-31T23:30-01:00 is 2026-11-01T00:30Z: November, ignored.
        split.AddClick("ann", "nov", "c-nov", new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.FromHours(-1)));
        // The first and last ticks of October in UTC both count; the first tick of November does not.
        split.AddClick("ann", "first", "c-first", October.Start);
        split.AddClick("ann", "last", "c-last", October.End.AddTicks(-1));
        split.AddClick("ann", "end", "c-end", October.End);
        // 2026-09-30T22:00-03:00 is 2026-10-01T01:00Z: October.
        split.AddClick("ann", "west", "c-west", new DateTimeOffset(2026, 9, 30, 22, 0, 0, TimeSpan.FromHours(-3)));

        var result = split.Compute();

        Assert.Equal(new Dictionary<string, long> { ["c-first"] = 100, ["c-last"] = 100, ["c-west"] = 100 }, ByCreator(result));
        Assert.Equal(3, result.Statistics.ClicksOutsidePeriod);
    }

    [Fact]
    public void Compute_SelfFlattrIsIgnored()
    {
        var split = new MonthlySplit(October);
        split.AddBudget("bob", 1000);
        split.AddClick("bob", "bobs-post", "bob", At(1));
        split.AddClick("bob", "anns-post", "ann", At(2));

        var result = split.Compute();

        Assert.Equal(new Dictionary<string, long> { ["ann"] = 900 }, ByCreator(result));
        Assert.Equal(1, result.Statistics.SelfClicks);
    }

    [Fact]
    public void Compute_ReaderWithOnlySelfFlattrsKeepsTheWholeBudget()
    {
        var split = new MonthlySplit(October);
        split.AddBudget("bob", 1000);
        split.AddClick("bob", "bobs-post", "bob", At(1));

        var result = split.Compute();

        Assert.Equal(1000, result.CarriedOver);
        Assert.Equal(0, result.Fee);
        Assert.Empty(result.Creators);
    }

    [Fact]
    public void Compute_ReaderWithBudgetButNoClickCarriesTheWholeBudgetOverWithoutFee()
    {
        var split = new MonthlySplit(October);
        split.AddBudget("ann", 500);
        split.AddBudget("bob", 200);
        split.AddClick("bob", "t", "cat", At(1));

        var result = split.Compute();

        Assert.Equal(500, result.CarriedOver);
        Assert.Equal(20, result.Fee);
        Assert.Equal(180, result.Distributed);
    }

    [Fact]
    public void Compute_ReaderWithClicksButNoBudgetContributesNothing()
    {
        var split = new MonthlySplit(October);
        split.AddClick("ann", "t", "cat", At(1));

        var result = split.Compute();

        Assert.Equal(0, result.TotalBudget);
        Assert.Empty(result.Creators);
        Assert.Equal(1, result.Statistics.CountedClicks);
    }

    [Fact]
    public void Compute_CreatorsWithZeroAreLeftOutAndTheRestAreInOrdinalOrder()
    {
        // D = 1 over two things: only the earlier one gets anything.
        var split = new MonthlySplit(October, feeBasisPoints: 0);
        split.AddBudget("r", 1);
        split.AddClick("r", "t-late", "alpha", At(2));
        split.AddClick("r", "t-early", "zulu", At(1));
        split.AddBudget("s", 4);
        split.AddClick("s", "t3", "Zed", At(1));
        split.AddClick("s", "t4", "émile", At(1));

        var result = split.Compute();

        Assert.Equal(["Zed", "zulu", "émile"], result.Creators.Select(c => c.CreatorId));
    }

    [Fact]
    public void Compute_OneCreatorWithManyThingsReceivesTheSumOfTheirShares()
    {
        var split = new MonthlySplit(October, feeBasisPoints: 2500);
        split.AddBudget("r1", 400);
        split.AddBudget("r2", 1000);
        split.AddClick("r1", "a", "bob", At(1));
        split.AddClick("r1", "b", "bob", At(2));
        split.AddClick("r2", "a", "bob", At(3));
        split.AddClick("r2", "c", "cat", At(4));

        var result = split.Compute();

        // r1: fee 100, 300 → 150 + 150 to bob. r2: fee 250, 750 → 375 bob, 375 cat.
        Assert.Equal(new Dictionary<string, long> { ["bob"] = 675, ["cat"] = 375 }, ByCreator(result));
        Assert.Equal(350, result.Fee);
    }

    [Fact]
    public void Compute_FullFeeLeavesNothingToDistribute()
    {
        var split = new MonthlySplit(October, feeBasisPoints: 10_000);
        split.AddBudget("r", 777);
        split.AddClick("r", "t", "c", At(1));

        var result = split.Compute();

        Assert.Equal(777, result.Fee);
        Assert.Equal(0, result.Distributed);
        Assert.Empty(result.Creators);
    }

    [Fact]
    public void Compute_LargestBudgetAndFullFeeDoNotOverflow()
    {
        // B × F = 10^15 × 9999 exceeds nothing in 128 bits but would overflow a naive 64-bit product at larger scales;
        // check the exact floor at the limit.
        var split = new MonthlySplit(October, feeBasisPoints: 9999);
        split.AddBudget("r", MonthlySplit.MaxBudget);
        split.AddClick("r", "t", "c", At(1));

        var result = split.Compute();

        Assert.Equal(999_900_000_000_000, result.Fee);
        Assert.Equal(100_000_000_000, result.Distributed);
    }

    [Fact]
    public void Compute_ObserverSeesEveryReaderInOrdinalOrderWithSharesEarliestFirst()
    {
        var split = new MonthlySplit(October, feeBasisPoints: 0);
        split.AddBudget("zoe", 3);
        split.AddBudget("amy", 10);
        split.AddClick("zoe", "t2", "c", At(2));
        split.AddClick("zoe", "t1", "d", At(1));
        var seen = new List<ReaderSplit>();

        split.Compute(seen.Add);

        Assert.Equal(["amy", "zoe"], seen.Select(s => s.ReaderId));
        Assert.Equal(10, seen[0].CarriedOver);
        Assert.Equal(["t1", "t2"], seen[1].Shares.Select(s => s.ThingId));
        Assert.Equal([2L, 1], seen[1].Shares.Select(s => s.Amount));
        Assert.Equal(At(1), seen[1].Shares[0].FirstClickedAt);
    }

    [Fact]
    public void AddBudget_SecondBudgetForTheSameReader_IsRejected()
    {
        var split = new MonthlySplit(October);
        split.AddBudget("ann", 100);

        var error = Assert.Throws<SplitInputException>(() => split.AddBudget("ann", 200));

        Assert.Contains("'ann' already has a budget", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(MonthlySplit.MaxBudget + 1)]
    public void AddBudget_OutOfRange_IsRejected(long budget)
    {
        var split = new MonthlySplit(October);

        Assert.Throws<SplitInputException>(() => split.AddBudget("ann", budget));
    }

    [Fact]
    public void AddClick_ThingWithTwoCreators_IsRejectedEvenOutsideThePeriod()
    {
        var split = new MonthlySplit(October);
        split.AddClick("ann", "t", "bob", At(1));

        var error = Assert.Throws<SplitInputException>(() => split.AddClick("cy", "t", "cat", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Contains("'t' is listed with creator 'cat' but earlier with 'bob'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "t", "c")]
    [InlineData("r", "", "c")]
    [InlineData("r", "t", "")]
    public void AddClick_EmptyId_IsRejected(string reader, string thing, string creator)
    {
        var split = new MonthlySplit(October);

        Assert.Throws<SplitInputException>(() => split.AddClick(reader, thing, creator, At(1)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Constructor_FeeOutsideZeroToTenThousand_IsRejected(int fee)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MonthlySplit(October, fee));
    }

    [Fact]
    public void Compute_ManyThingsForcesTheTableToGrow_AndKeepsEveryPair()
    {
        // More pairs than the initial table size, so the table grows several times mid-stream.
        var split = new MonthlySplit(October, feeBasisPoints: 0);
        const int readers = 400;
        const int things = 600;
        for (var r = 0; r < readers; r++)
        {
            split.AddBudget($"r{r}", things);
            for (var t = 0; t < things; t++)
            {
                split.AddClick($"r{r}", $"t{t}", $"c{t % 7}", At(1 + (t % 28)));
            }
        }

        var result = split.Compute();

        Assert.Equal((long)readers * things, result.Statistics.CountedClicks);
        Assert.Equal((long)readers * things, result.Distributed);
        // Every thing gets exactly 1 per reader; creator k owns the things t with t % 7 == k.
        Assert.Equal(Enumerable.Range(0, 7).Select(k => (long)readers * Enumerable.Range(0, things).Count(t => t % 7 == k)), result.Creators.Select(c => c.Amount));
    }

    // Enough rows to hand many batches from one thread to the other, with repeats, self-flattrs and clicks outside the month.
    private static IEnumerable<(string Reader, string Thing, string Creator, DateTimeOffset At)> ManyClicks(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var thing = (i * 7919) % 5000;
            var creator = $"c{thing % 300}";
            var reader = i % 1000 == 0 ? creator : $"reader-{(i * 104729) % 20000}";
            var at = i % 997 == 0 ? new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) : At(1 + (i % 30), i % 24, i % 60);
            yield return (reader, $"t{thing}", creator, at);
        }
    }

    [Fact]
    public void AddClicks_ManyBatches_GivesTheSameSplitAndStatisticsAsAddClick()
    {
        var sequential = new MonthlySplit(October);
        var concurrent = new MonthlySplit(October);
        for (var r = 0; r < 20000; r += 3)
        {
            sequential.AddBudget($"reader-{r}", 200 + r);
            concurrent.AddBudget($"reader-{r}", 200 + r);
        }

        foreach (var (reader, thing, creator, at) in ManyClicks(60_000))
        {
            sequential.AddClick(reader, thing, creator, at);
        }

        concurrent.AddClicks(feed =>
        {
            foreach (var (reader, thing, creator, at) in ManyClicks(60_000))
            {
                feed.Add(reader, thing, creator, at);
            }
        });
        var expected = sequential.Compute();
        var actual = concurrent.Compute();

        Assert.Equal(60_000, actual.Statistics.ClickRows);
        Assert.True(actual.Statistics.DuplicateClicks > 0 && actual.Statistics.SelfClicks > 0 && actual.Statistics.ClicksOutsidePeriod > 0);
        Assert.Equal(expected.Statistics, actual.Statistics);
        Assert.Equal((expected.Fee, expected.CarriedOver, expected.Distributed), (actual.Fee, actual.CarriedOver, actual.Distributed));
        Assert.Equal(expected.Creators, actual.Creators);
    }

    [Fact]
    public void AddClicks_BadRowAfterManyGoodOnes_ThrowsTheEnginesErrorAndKeepsTheRowsBeforeIt()
    {
        var split = new MonthlySplit(October);

        var error = Assert.Throws<SplitInputException>(() => split.AddClicks(feed =>
        {
            foreach (var (reader, thing, creator, at) in ManyClicks(10_000))
            {
                feed.Add(reader, thing, creator, at);
            }

            feed.Add("ann", "t0", "someone-else", At(2)); // t0 belongs to c0
        }));

        var before = new MonthlySplit(October);
        foreach (var (reader, thing, creator, at) in ManyClicks(10_000))
        {
            before.AddClick(reader, thing, creator, at);
        }

        Assert.Contains("a thing has one creator", error.Message, StringComparison.Ordinal);
        var statistics = split.Compute().Statistics;
        Assert.Equal(10_001, statistics.ClickRows);
        Assert.Equal(before.Compute().Statistics.CountedClicks, statistics.CountedClicks); // the last, partial batch too
    }

    [Fact]
    public void AddClicks_ProducerFails_RethrowsItsOwnException()
    {
        var split = new MonthlySplit(October);
        var failure = new IOException("the disk went away");

        var thrown = Assert.Throws<IOException>(() => split.AddClicks(feed =>
        {
            foreach (var (reader, thing, creator, at) in ManyClicks(9_000))
            {
                feed.Add(reader, thing, creator, at);
            }

            throw failure;
        }));

        Assert.Same(failure, thrown);
        var statistics = split.Compute().Statistics;
        Assert.Equal(9_000, statistics.ClickRows);
        Assert.True(statistics.CountedClicks > 8_000, $"only {statistics.CountedClicks} of the rows before the failure were recorded");
    }
}
