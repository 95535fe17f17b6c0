using System.Globalization;
using System.Net;
using Flattr.Hub.IntegrationTests.Funding;
using Flattr.Hub.IntegrationTests.Payouts;
using Flattr.Hub.Payouts;
using Flattr.Hub.Readers;
using Flattr.Payouts;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.IntegrationTests.Readers;

/// <summary>
/// <c>/Readers/Budget</c>: per-thing shares are not stored by a run; they are recomputed for one reader. These tests
/// prove the recomputation gives exactly what the run booked, and that the page shows it.
/// </summary>
public abstract class BudgetPageTests
{
    protected abstract PayoutHubFixture NewHub();

    private static readonly DateTimeOffset EarlyNovember = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private async Task<(PayoutHubFixture Hub, PayoutWorld World)> StartAsync()
    {
        var hub = NewHub();
        await hub.InitializeAsync();
        return (hub, hub.World());
    }

    /// <summary>Budgets that do not divide evenly (leftover units), shared things, a self-flattr, a reader who clicks nothing.</summary>
    private static async Task ArrangeAsync(PayoutWorld w)
    {
        await w.PersonAsync("ann");
        await w.PersonAsync("bob", 333);
        await w.PersonAsync("r1", 1001);
        await w.PersonAsync("r2", 777);
        await w.PersonAsync("r3", 250);
        await w.PersonAsync("r4", 500);
        foreach (var (person, amount) in new[] { ("bob", "10.00"), ("r1", "20.00"), ("r2", "5.00"), ("r3", "2.50"), ("r4", "9.00") })
        {
            await w.FundAsync(person, amount);
        }

        await w.ThingAsync("essay", "ann-writer", claimedBy: "ann");
        await w.ThingAsync("photo", "ann-photographer", claimedBy: "ann");
        await w.ThingAsync("podcast", "bob-host", claimedBy: "bob");
        await w.ThingAsync("poem", "unclaimed-poet");
        await w.ClickAsync("r1", "essay", 3, 9);
        await w.ClickAsync("r1", "photo", 3, 9);
        await w.ClickAsync("r1", "podcast", 1);
        await w.ClickAsync("r1", "poem", 20);
        await w.ClickAsync("r2", "poem", 2);
        await w.ClickAsync("r2", "essay", 2);
        await w.ClickAsync("r2", "podcast", 30, 23);
        await w.ClickAsync("r3", "photo", 15);
        await w.ClickAsync("bob", "podcast", 4); // a self-flattr: left out by the run and by the recomputation
        await w.ClickAsync("bob", "essay", 5);
    }

    private static async Task<PayoutRun> ComputeOctoberAsync(PayoutWorld w)
    {
        var (run, _) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default));
        return await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ComputeAsync(run.Id, "test", default));
    }

    [Fact]
    public async Task RecomputeShares_ForEachReaderOfARun_SumToWhatTheRunRecordedAndAddUpToTheAllocations()
    {
        var (hub, w) = await StartAsync();
        await using var _ = hub;
        await ArrangeAsync(w);
        hub.Time.SetUtcNow(EarlyNovember);
        var run = await ComputeOctoberAsync(w);
        var readers = await hub.WithDbAsync(db => db.PayoutRunReaders.AsNoTracking().Where(r => r.RunId == run.Id).ToListAsync());
        var allocations = await hub.WithDbAsync(db => db.PayoutAllocations.AsNoTracking().Where(a => a.RunId == run.Id).ToDictionaryAsync(a => a.CreatorId, a => a.Amount));

        var perCreator = new Dictionary<long, long>();
        foreach (var reader in readers)
        {
            var shares = await hub.WithScopeAsync<IReadOnlyList<ThingShare>, BudgetBreakdown>(b =>
                b.RecomputeSharesAsync(run.PeriodValue, run.FeeBasisPoints, reader.ReaderId, reader.Budget, default));

            Assert.Equal(reader.Distributed, shares.Sum(s => s.Amount));
            Assert.Equal(reader.Budget, reader.Fee + reader.CarriedOver + shares.Sum(s => s.Amount));
            foreach (var share in shares)
            {
                var creator = long.Parse(share.CreatorId, CultureInfo.InvariantCulture);
                perCreator[creator] = perCreator.GetValueOrDefault(creator) + share.Amount;
            }
        }

        Assert.Equal(allocations.Where(a => a.Value > 0).OrderBy(a => a.Key), perCreator.Where(a => a.Value > 0).OrderBy(a => a.Key));
        // r1: 1001 - 100 fee = 901 over 4 things → 226, 225, 225, 225 (the earliest click gets the leftover unit).
        var r1 = readers.Single(r => r.ReaderId == w.People["r1"]);
        Assert.Equal((1001L, 100L, 901L), (r1.Budget, r1.Fee, r1.Distributed));
    }

    [Fact]
    public async Task BudgetPage_AfterARun_ShowsBudgetFeeCarriedOverAndPerThingShares()
    {
        var (hub, w) = await StartAsync();
        await using var _ = hub;
        await ArrangeAsync(w);
        hub.Time.SetUtcNow(EarlyNovember);
        var run = await ComputeOctoberAsync(w);
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ApproveAsync(run.Id, "test", default));
        using var r1 = await hub.SignInAsAsync(w.People["r1"]);
        using var r4 = await hub.SignInAsAsync(w.People["r4"]);

        var page = await r1.OpenAsync("/Readers/Budget");
        var idle = await r4.OpenAsync("/Readers/Budget");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var october = page.Get("#month-2026-10");
        Assert.Equal("Approved", october.GetAttribute("data-state"));
        Assert.Equal("EUR 10.01", october.QuerySelector("[data-figure=budget]")!.TextContent);
        Assert.Equal("EUR 1.00", october.QuerySelector("[data-figure=fee]")!.TextContent);
        Assert.Equal("EUR 0.00", october.QuerySelector("[data-figure=carried-over]")!.TextContent);
        Assert.Equal("EUR 9.01", october.QuerySelector("[data-figure=distributed]")!.TextContent);
        var amounts = october.QuerySelectorAll("td[data-amount]").Select(td => long.Parse(td.GetAttribute("data-amount")!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([226L, 225, 225, 225], amounts);
        // The leftover unit went to the earliest click: the podcast, flattred on the 1st.
        Assert.Contains("podcast", october.QuerySelector("tbody tr")!.TextContent, StringComparison.Ordinal);

        var idleOctober = idle.Get("#month-2026-10");
        Assert.Equal("EUR 5.00", idleOctober.QuerySelector("[data-figure=carried-over]")!.TextContent);
        Assert.Equal("EUR 0.00", idleOctober.QuerySelector("[data-figure=fee]")!.TextContent);
        Assert.Empty(idleOctober.QuerySelectorAll("td[data-amount]"));
    }

    [Fact]
    public async Task BudgetPage_ThisMonth_EstimatesTheSplitOfTheFlattrsSoFar()
    {
        var (hub, w) = await StartAsync();
        await using var _ = hub;
        await ArrangeAsync(w);
        // Mid October: the month is not over; r2 has 5.00 of funds and a budget of 7.77, so 5.00 is shared.
        using var r2 = await hub.SignInAsAsync(w.People["r2"]);

        var page = await r2.OpenAsync("/Readers/Budget");

        var current = page.Get("#month-current");
        var amounts = current.QuerySelectorAll("td[data-amount]").Select(td => long.Parse(td.GetAttribute("data-amount")!, CultureInfo.InvariantCulture)).ToList();
        Assert.Contains("EUR 5.00", current.TextContent, StringComparison.Ordinal);
        Assert.Equal(450, amounts.Sum());
        Assert.Equal(3, amounts.Count);
        Assert.Contains("No month has been paid out", page.Text, StringComparison.Ordinal);
    }
}

public sealed class BudgetPageSqliteTests : BudgetPageTests
{
    protected override PayoutHubFixture NewHub() => new SqlitePayoutHubFixture();
}

public sealed class BudgetPagePostgresTests : BudgetPageTests
{
    protected override PayoutHubFixture NewHub() => new PostgresPayoutHubFixture();
}
