using System.Net;
using CsCheck;
using Flattr.Hub.IntegrationTests.Payouts;
using Flattr.Hub.Ledger;
using Flattr.Hub.Payouts;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.IntegrationTests.Funding;

/// <summary>
/// Money is conserved end to end, whatever the month looks like: random readers, budgets and funds (by card through
/// the signed webhook, or credited by an admin), payees who claim random creators and may or may not have Stripe,
/// random clicks; then create, compute, approve and execute. Everything credited is, to the minor unit, in readers'
/// funds, the platform's fees, creators' unpaid earnings, or transferred to creators, and the ledger balances.
/// SQLite only: every sample is a fresh Hub, so iterations are kept few.
/// </summary>
public sealed class MoneyPropertyTests
{
    private static readonly DateTimeOffset EarlyNovember = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A reader: monthly budget, funds (minor units), and whether they pay by card.</summary>
    public sealed record Reader(long Budget, long Funds, bool ByCard);

    /// <summary>A month to pay.</summary>
    /// <param name="Readers">The readers.</param>
    /// <param name="Payees">Per payee: whether they have a Stripe account with payouts enabled.</param>
    /// <param name="ClaimedBy">Per creator: the payee who claimed it, or -1.</param>
    /// <param name="CreatorOfThing">Per thing: its creator.</param>
    /// <param name="Clicks">(reader, thing, day of October).</param>
    public sealed record Month(Reader[] Readers, bool[] Payees, int[] ClaimedBy, int[] CreatorOfThing, (int Reader, int Thing, int Day)[] Clicks)
    {
        public override string ToString() =>
            $"readers [{string.Join("; ", Readers.Select(r => $"{r.Budget}/{r.Funds}/{(r.ByCard ? "card" : "manual")}"))}] payees [{string.Join(",", Payees)}] "
            + $"claims [{string.Join(",", ClaimedBy)}] things [{string.Join(",", CreatorOfThing)}] clicks [{string.Join(" ", Clicks.Select(c => $"{c.Reader}:{c.Thing}@{c.Day}"))}]";
    }

    private static readonly Gen<Month> MonthGen =
        from readers in Gen.Select(Gen.OneOf(Gen.Const(0L), Gen.Const(150L), Gen.Const(200L), Gen.Long[200, 5_000]), Gen.OneOf(Gen.Const(0L), Gen.Long[200, 20_000]), Gen.Bool)
            .Select((budget, funds, card) => new Reader(budget, funds, card)).Array[1, 6]
        from payees in Gen.Bool.Array[1, 3]
        from creators in Gen.Int[1, 5]
        from claimedBy in Gen.Int[-1, payees.Length - 1].Array[creators]
        from things in Gen.Int[1, 6]
        from creatorOfThing in Gen.Int[0, creators - 1].Array[things]
        from clicks in Gen.Select(Gen.Int[0, readers.Length - 1], Gen.Int[0, things - 1], Gen.Int[1, 31]).Array[0, 20]
        select new Month(readers, payees, claimedBy, creatorOfThing, clicks);

    [Fact]
    public async Task FundClickAndPay_AnyMonth_ConservesEveryMinorUnitAndBalancesTheLedger() =>
        await MonthGen.SampleAsync(CheckMonthAsync, iter: 12, threads: 1);

    private static async Task CheckMonthAsync(Month month)
    {
        await using var hub = new SqlitePayoutHubFixture();
        await hub.InitializeAsync();
        var w = hub.World();
        long credited = 0;

        for (var p = 0; p < month.Payees.Length; p++)
        {
            await w.PersonAsync($"payee{p}");
            if (month.Payees[p])
            {
                await w.ConnectStripeAsync($"payee{p}");
            }
        }

        for (var r = 0; r < month.Readers.Length; r++)
        {
            var reader = month.Readers[r];
            var id = await w.PersonAsync($"reader{r}", reader.Budget);
            if (reader.Funds == 0)
            {
                continue;
            }

            if (reader.ByCard)
            {
                var session = await hub.StartCheckoutAsync(id, Flattr.Hub.Accounts.BudgetText.Format(reader.Funds, Currency.Eur));
                Assert.Equal(HttpStatusCode.OK, (await hub.PostWebhookAsync(hub.Stripe.CompleteCheckoutSession(session))).StatusCode);
            }
            else
            {
                await w.FundAsync($"reader{r}", Flattr.Hub.Accounts.BudgetText.Format(reader.Funds, Currency.Eur));
            }

            credited += reader.Funds;
        }

        for (var t = 0; t < month.CreatorOfThing.Length; t++)
        {
            var creator = month.CreatorOfThing[t];
            var claimedBy = month.ClaimedBy[creator];
            await w.ThingAsync($"thing{t}", $"creator{creator}", claimedBy < 0 ? null : $"payee{claimedBy}");
        }

        foreach (var (reader, thing, day) in month.Clicks.DistinctBy(c => (c.Reader, c.Thing)))
        {
            await w.ClickAsync($"reader{reader}", $"thing{thing}", day);
        }

        // Stripe holds what readers paid by card; money credited by hand never reached it, so some transfers may fail.
        hub.Time.SetUtcNow(EarlyNovember);
        var (run, _) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ComputeAsync(run.Id, "test", default));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ApproveAsync(run.Id, "test", default));
        await w.ServiceAsync<ExecutionResult, PayoutExecutor>(s => s.ExecuteAsync(run.Id, "test", default));

        var report = await hub.VerifyLedgerAsync();
        var held = await hub.WithDbAsync(db => db.LedgerEntries.GroupBy(e => e.Account).Select(g => new { g.Key, Held = -g.Sum(e => e.Amount) }).ToDictionaryAsync(g => g.Key, g => g.Held));
        long Family(string prefix) => held.Where(b => b.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(b => b.Value);
        var readerFunds = Family(LedgerAccounts.ReaderFundsPrefix);
        var fees = held.GetValueOrDefault(LedgerAccounts.PlatformFees);
        var earnings = Family(LedgerAccounts.CreatorEarningsPrefix);
        var sent = await hub.WithDbAsync(db => db.PayoutLines.Where(l => l.RunId == run.Id && l.State == PayoutLineState.Sent).SumAsync(l => l.Amount));
        var transferred = hub.Stripe.Transfers.Sum(t => (long)t["amount"]!);
        var computed = await hub.WithDbAsync(db => db.PayoutRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id));

        Assert.True(report.Balanced, string.Join(" ", report.Problems));
        Assert.Equal(credited, readerFunds + fees + earnings + transferred);
        Assert.Equal(sent, transferred);
        Assert.Equal(0, held.GetValueOrDefault(LedgerAccounts.TransfersInFlight));
        Assert.Equal(computed.Fee, fees);
        Assert.Equal(computed.Distributed, earnings + transferred);
        Assert.Equal(credited - computed.Fee - computed.Distributed, readerFunds);
        Assert.All(held.Where(b => b.Key.StartsWith(LedgerAccounts.ReaderFundsPrefix, StringComparison.Ordinal)), b => Assert.True(b.Value >= 0, b.Key));
        Assert.Equal(PayoutRunState.Completed, computed.State);
    }
}
