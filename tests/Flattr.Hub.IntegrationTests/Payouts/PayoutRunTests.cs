using Flattr.Hub.Infrastructure;
using Flattr.Hub.Ledger;
using Flattr.Hub.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Flattr.Hub.IntegrationTests.Payouts;

/// <summary>The monthly payout run end to end on each database: create, compute, approve, execute through Stripe.net.</summary>
public abstract class PayoutRunTests
{
    protected abstract PayoutHubFixture NewHub();

    private static readonly DateTimeOffset EarlyNovember = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(PayoutHubFixture Hub, PayoutWorld World)> StartAsync(Func<PayoutHubFixture> factory)
    {
        var hub = factory();
        await hub.InitializeAsync();
        return (hub, new PayoutWorld(hub, hub.Stripe));
    }

    /// <summary>
    /// A month with every case: two payees with connected accounts (one with two creators on the site), one person
    /// below the minimum payout, one without a Stripe account, an unclaimed creator, a reader without funds, a reader
    /// with a budget above their funds, a reader who clicks nothing, and a self-flattr.
    /// </summary>
    private static async Task ArrangeMonthAsync(PayoutWorld w)
    {
        await w.PersonAsync("ann");             // paid: two creators
        await w.PersonAsync("bob");             // paid
        await w.PersonAsync("cy");              // below the minimum payout
        await w.PersonAsync("dee", 500);        // no Stripe account; also a reader who flattrs her own thing
        await w.PersonAsync("r1", 2000);
        await w.PersonAsync("r2", 1000);
        await w.PersonAsync("r3", 5000);        // funds 30.00 only → budget 30.00
        await w.PersonAsync("r4", 2000);        // no funds → no budget
        await w.PersonAsync("r5", 300);         // clicks nothing → carried over
        await w.PersonAsync("r6", 1000);        // flattrs only dee, so dee is over the minimum but has no Stripe account
        await w.ConnectStripeAsync("ann");
        await w.ConnectStripeAsync("bob");
        await w.ConnectStripeAsync("cy");
        foreach (var (person, amount) in new[] { ("r1", "50.00"), ("r2", "10.00"), ("r3", "30.00"), ("r5", "3.00"), ("dee", "5.00"), ("r6", "10.00") })
        {
            await w.FundAsync(person, amount);
        }

        await w.ThingAsync("ann-essay", "ann-writer", claimedBy: "ann");
        await w.ThingAsync("ann-photo", "ann-photographer", claimedBy: "ann");
        await w.ThingAsync("bob-podcast", "bob-host", claimedBy: "bob");
        await w.ThingAsync("cy-poem", "cy-poet", claimedBy: "cy");
        await w.ThingAsync("dee-video", "dee-maker", claimedBy: "dee");
        await w.ThingAsync("orphan-post", "nobody-yet");

        await w.ClickAsync("r1", "ann-essay", 1);
        await w.ClickAsync("r1", "bob-podcast", 2);
        await w.ClickAsync("r1", "dee-video", 3);
        await w.ClickAsync("r1", "orphan-post", 4);
        await w.ClickAsync("r2", "ann-photo", 5);
        await w.ClickAsync("r2", "cy-poem", 30);
        await w.ClickAsync("r3", "bob-podcast", 7);
        await w.ClickAsync("r3", "ann-essay", 8);
        await w.ClickAsync("r4", "bob-podcast", 9);
        await w.ClickAsync("dee", "dee-video", 10); // self-flattr: ignored
        await w.ClickAsync("dee", "ann-essay", 11);
        await w.ClickAsync("r6", "dee-video", 12);
    }

    [Fact]
    public async Task FullMonth_PaysEveryPayableCreatorOnceAndKeepsTheRestOnTheirBalance()
    {
        var (hub, w) = await StartAsync(NewHub);
        await using var _ = hub;
        await ArrangeMonthAsync(w);
        hub.Stripe.SetAvailableBalance("eur", 1_000_000);
        hub.Time.SetUtcNow(EarlyNovember);

        var (run, existing) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ComputeAsync(run.Id, "test", default));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ApproveAsync(run.Id, "test", default));
        var result = await w.ServiceAsync<ExecutionResult, PayoutExecutor>(s => s.ExecuteAsync(run.Id, "test", default));
        var computed = await hub.WithDbAsync(db => db.PayoutRuns.SingleAsync(r => r.Id == run.Id));

        Assert.False(existing);
        // Budgets: r1 2000, r2 1000, r3 3000 (funds), dee 500, r5 300, r6 1000 → 7800; r4 has no funds.
        // r1: fee 200, 1800 / 4 = 450 each. r2: fee 100, 450 each. r3: fee 300, 1350 each. dee: fee 50, 450 to ann-essay.
        // r5: carried 300. r6: fee 100, 900 to dee-video.
        Assert.Equal(7800, computed.TotalBudget);
        Assert.Equal(750, computed.Fee);
        Assert.Equal(300, computed.CarriedOver);
        Assert.Equal(6750, computed.Distributed);
        Assert.Equal(PayoutRunState.Completed, computed.State);

        // ann: 450 + 450 + 1350 + 450 = 2700; bob: 450 + 1350 = 1800; cy 450 < 1000 minimum; dee 450 + 900 but no account.
        var transfers = hub.Stripe.Transfers;
        var paid = await hub.WithDbAsync(db => db.PayoutAccounts.ToDictionaryAsync(a => a.StripeAccountId, a => a.AccountId));
        Assert.Equal(2, transfers.Count);
        Assert.Equal(
            new Dictionary<string, long> { [w.People["ann"]] = 2700, [w.People["bob"]] = 1800 },
            transfers.ToDictionary(t => paid[(string)t["destination"]!], t => (long)t["amount"]!));
        Assert.All(transfers, t => Assert.Equal(run.TransferGroup, (string?)t["transfer_group"]));
        Assert.Equal(2, result.Sent);
        Assert.Equal(2, result.Held);

        var lines = await hub.WithDbAsync(db => db.PayoutLines.Where(l => l.RunId == run.Id).ToListAsync());
        Assert.Contains("minimum payout", lines.Single(l => l.PayeeId == w.People["cy"]).Reason, StringComparison.Ordinal);
        Assert.Contains("No Stripe account", lines.Single(l => l.PayeeId == w.People["dee"]).Reason, StringComparison.Ordinal);
        Assert.All(lines.Where(l => l.State == PayoutLineState.Sent), l => Assert.StartsWith("tr_", l.StripeTransferId, StringComparison.Ordinal));

        var report = await w.ServiceAsync<LedgerReport, LedgerVerifier>(v => v.VerifyAsync(default));
        Assert.True(report.Balanced, string.Join(" ", report.Problems));
        var earned = await w.ServiceAsync<Dictionary<string, long>, LedgerService>(l => l.HeldBalancesAsync(LedgerAccounts.CreatorEarningsPrefix, default));
        // Held and unclaimed money stays on the creators' balances: cy 450, dee 1350, the unclaimed orphan 450.
        Assert.Equal(2250, earned.Values.Sum());
        Assert.Equal(750, -await w.ServiceAsync<long, LedgerService>(l => l.RawBalanceAsync(LedgerAccounts.PlatformFees, default)));
        Assert.Equal(0, await w.ServiceAsync<long, LedgerService>(l => l.RawBalanceAsync(LedgerAccounts.TransfersInFlight, default)));
        // r5's budget was carried over: their funds are untouched. r3 spent everything.
        Assert.Equal(300, await w.ServiceAsync<long, LedgerService>(l => l.ReaderFundsAsync(w.People["r5"], default)));
        Assert.Equal(0, await w.ServiceAsync<long, LedgerService>(l => l.ReaderFundsAsync(w.People["r3"], default)));
        Assert.Equal(3000, await w.ServiceAsync<long, LedgerService>(l => l.ReaderFundsAsync(w.People["r1"], default)));
    }

    [Fact]
    public async Task NextMonth_PaysWhatWasHeldOnceThePayeeConnectsStripe()
    {
        var (hub, w) = await StartAsync(NewHub);
        await using var _ = hub;
        await ArrangeMonthAsync(w);
        hub.Stripe.SetAvailableBalance("eur", 1_000_000);
        hub.Time.SetUtcNow(EarlyNovember);
        var october = await RunMonthAsync(w, PayoutWorld.October);

        await w.ConnectStripeAsync("dee");
        hub.Time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var november = await RunMonthAsync(w, PayoutWorld.October.Next);

        Assert.Equal(PayoutRunState.Completed, november.State);
        var deePaid = hub.Stripe.Transfers.Where(t => (string?)t["metadata"]?["flattr_payee"] == w.People["dee"]).ToList();
        Assert.Equal(1350, Assert.Single(deePaid)["amount"]!.GetValue<long>());
        Assert.NotEqual(october.Id, november.Id);
    }

    private static async Task<PayoutRun> RunMonthAsync(PayoutWorld w, Period period)
    {
        var (run, _) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(period, "test", default));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ComputeAsync(run.Id, "test", default));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ApproveAsync(run.Id, "test", default));
        await w.ServiceAsync<ExecutionResult, PayoutExecutor>(s => s.ExecuteAsync(run.Id, "test", default));
        return await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.FindAsync(run.Id, default));
    }

    [Fact]
    public async Task Create_BeforeThePeriodEnds_IsRefusedAndASecondCreateReturnsTheSameRun()
    {
        var (hub, w) = await StartAsync(NewHub);
        await using var _ = hub;
        hub.Time.SetUtcNow(new DateTimeOffset(2026, 10, 31, 23, 59, 0, TimeSpan.Zero));

        var early = await Assert.ThrowsAsync<HubValidationException>(() => w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default)));
        hub.Time.SetUtcNow(EarlyNovember);
        var (first, _) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default));
        hub.Time.Advance(TimeSpan.FromHours(3));
        var (second, existing) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default));

        Assert.Contains("has not ended", early.Message, StringComparison.Ordinal);
        Assert.True(existing);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Cutoff, second.Cutoff);
    }

    [Fact]
    public async Task ReaderRows_AreFrozenAtCreateAndComputeRewritesEveryOneFromTheBudgetsEvenWhenRepeated()
    {
        var (hub, w) = await StartAsync(NewHub);
        await using var _ = hub;
        await ArrangeMonthAsync(w);
        hub.Time.SetUtcNow(EarlyNovember);
        var (run, _) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default));
        var frozen = await ReaderRowsAsync(hub, w, run.Id);

        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ComputeAsync(run.Id, "test", default));
        var computed = await ReaderRowsAsync(hub, w, run.Id);
        // Rows a second compute must put right: r1 changed by hand, r5 (who clicked nothing) given a fee it never had.
        await hub.WithDbAsync(db => db.PayoutRunReaders.Where(r => r.RunId == run.Id && r.ReaderId == w.People["r1"])
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Fee, 1).SetProperty(r => r.Distributed, 1).SetProperty(r => r.CarriedOver, 1)));
        await hub.WithDbAsync(db => db.PayoutRunReaders.Where(r => r.RunId == run.Id && r.ReaderId == w.People["r5"])
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Fee, 300).SetProperty(r => r.CarriedOver, 0)));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ComputeAsync(run.Id, "test", default));
        var recomputed = await ReaderRowsAsync(hub, w, run.Id);

        // Every reader with a monthly budget has a row (ann, bob and cy have none); r4 has no funds, so no budget.
        // Before compute, every budget is carried over whole.
        Assert.Equal(["dee", "r1", "r2", "r3", "r4", "r5", "r6"], frozen.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((5000, 3000, 3000, 0, 0, 3000), frozen["r3"]);
        Assert.Equal((2000, 0, 0, 0, 0, 0), frozen["r4"]);
        Assert.Equal((2000, 5000, 2000, 0, 0, 2000), frozen["r1"]);
        Assert.Equal((2000, 5000, 2000, 200, 1800, 0), computed["r1"]);
        Assert.Equal((5000, 3000, 3000, 300, 2700, 0), computed["r3"]);
        Assert.Equal((500, 500, 500, 50, 450, 0), computed["dee"]); // her self-flattr is left out
        Assert.Equal((300, 300, 300, 0, 0, 300), computed["r5"]);
        Assert.Equal(computed, recomputed);
        Assert.All(recomputed.Values, r => Assert.Equal(r.Budget, r.Fee + r.Distributed + r.CarriedOver));
    }

    private static async Task<Dictionary<string, (long MonthlyBudget, long FundsAtCutoff, long Budget, long Fee, long Distributed, long CarriedOver)>> ReaderRowsAsync(
        PayoutHubFixture hub, PayoutWorld w, Guid runId)
    {
        var names = w.People.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        var rows = await hub.WithDbAsync(db => db.PayoutRunReaders.AsNoTracking().Where(r => r.RunId == runId).ToListAsync());
        return rows.ToDictionary(r => names[r.ReaderId], r => (r.MonthlyBudget, r.FundsAtCutoff, r.Budget, r.Fee, r.Distributed, r.CarriedOver), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Steps_OutOfOrder_AreRefusedWithoutChangingAnything()
    {
        var (hub, w) = await StartAsync(NewHub);
        await using var _ = hub;
        await ArrangeMonthAsync(w);
        hub.Time.SetUtcNow(EarlyNovember);
        var (run, _) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default));

        await Assert.ThrowsAsync<HubValidationException>(() => w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ApproveAsync(run.Id, "test", default)));
        await Assert.ThrowsAsync<HubValidationException>(() => w.ServiceAsync<ExecutionResult, PayoutExecutor>(s => s.ExecuteAsync(run.Id, "test", default)));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ComputeAsync(run.Id, "test", default));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ApproveAsync(run.Id, "test", default));
        await Assert.ThrowsAsync<HubValidationException>(() => w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ComputeAsync(run.Id, "test", default)));
        await Assert.ThrowsAsync<HubValidationException>(() => w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ApproveAsync(run.Id, "test", default)));

        Assert.Equal(1, await hub.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Kind == "payout.commit")));
    }

    [Fact]
    public async Task InsufficientStripeBalance_FailsTheLinesWithTheReasonAndARetryPaysThemOnce()
    {
        var (hub, w) = await StartAsync(NewHub);
        await using var _ = hub;
        await ArrangeMonthAsync(w);
        hub.Stripe.SetAvailableBalance("eur", 2000); // enough for bob's 1800 only
        hub.Time.SetUtcNow(EarlyNovember);
        var run = await RunMonthAsync(w, PayoutWorld.October);
        var lines = await hub.WithDbAsync(db => db.PayoutLines.Where(l => l.RunId == run.Id).ToListAsync());
        var failed = lines.Single(l => l.State == PayoutLineState.Failed);

        Assert.Equal(PayoutRunState.Completed, run.State);
        Assert.Equal(w.People["ann"], failed.PayeeId);
        Assert.Single(hub.Stripe.Transfers);
        Assert.Contains("insufficient", failed.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.True((await w.ServiceAsync<LedgerReport, LedgerVerifier>(v => v.VerifyAsync(default))).Balanced);
        Assert.Equal(0, await w.ServiceAsync<long, LedgerService>(l => l.RawBalanceAsync(LedgerAccounts.TransfersInFlight, default)));

        hub.Stripe.SetAvailableBalance("eur", 10_000);
        await w.ServiceAsync<int, PayoutExecutor>(async e => { await e.RetryLineAsync(failed.Id, "test", default); return 0; });
        var retried = await w.ServiceAsync<ExecutionResult, PayoutExecutor>(s => s.ExecuteAsync(run.Id, "test", default));

        Assert.Equal(PayoutRunState.Completed, retried.State);
        Assert.Equal(2, hub.Stripe.Transfers.Count);
        var events = await hub.WithDbAsync(db => db.PayoutLineEvents.Where(e => e.LineId == failed.Id).OrderBy(e => e.Id).Select(e => e.State).ToListAsync());
        Assert.Equal([PayoutLineState.Sending, PayoutLineState.Failed, PayoutLineState.Pending, PayoutLineState.Sending, PayoutLineState.Sent], events);
        Assert.True((await w.ServiceAsync<LedgerReport, LedgerVerifier>(v => v.VerifyAsync(default))).Balanced);
    }

    [Fact]
    public async Task StripeFailsAfterMakingTheTransfer_TheLineIsFoundByTransferGroupAndRecordedOnce()
    {
        var (hub, w) = await StartAsync(NewHub);
        await using var _ = hub;
        await ArrangeMonthAsync(w);
        hub.Stripe.SetAvailableBalance("eur", 1_000_000);
        hub.Time.SetUtcNow(EarlyNovember);
        // The first transfer is made, then its answer is lost (a 500 after applying), with no network retry to replay it.
        hub.Stripe.FailNext("/v1/transfers", 500, afterApplying: true);

        var run = await RunMonthAsync(w, PayoutWorld.October);

        Assert.Equal(PayoutRunState.Completed, run.State);
        Assert.Equal(2, hub.Stripe.Transfers.Count);
        var sent = await hub.WithDbAsync(db => db.PayoutLines.Where(l => l.RunId == run.Id && l.State == PayoutLineState.Sent).ToListAsync());
        Assert.Equal(hub.Stripe.Transfers.Select(t => (string)t["id"]!).Order(), sent.Select(l => l.StripeTransferId!).Order());
    }

    [Fact]
    public async Task ManualMode_WritesAPayoutFileAndMarkingLinesPaidCompletesTheRun()
    {
        var (hub, w) = await StartAsync(NewHub);
        await using var _ = hub;
        await ArrangeMonthAsync(w);
        hub.Time.SetUtcNow(EarlyNovember);
        await hub.WithDbAsync(async db =>
        {
            // An admin who pays creators outside Stripe: the run is created in manual mode.
            var (run, _) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default));
            var stored = await db.PayoutRuns.SingleAsync(r => r.Id == run.Id);
            stored.Mode = PayoutMode.Manual;
            return await db.SaveChangesAsync();
        });
        var runId = await hub.WithDbAsync(db => db.PayoutRuns.Select(r => r.Id).SingleAsync());
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ComputeAsync(runId, "test", default));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ApproveAsync(runId, "test", default));

        var result = await w.ServiceAsync<ExecutionResult, PayoutExecutor>(s => s.ExecuteAsync(runId, "test", default));
        var file = await File.ReadAllLinesAsync(result.PayoutFile!);
        var awaiting = await hub.WithDbAsync(db => db.PayoutLines.Where(l => l.RunId == runId && l.State == PayoutLineState.AwaitingManual).ToListAsync());

        Assert.Equal(PayoutRunState.Executing, result.State);
        Assert.Equal("line,payee,email,amount_minor_units,currency,reference", file[0]);
        Assert.Equal(awaiting.Count, file.Length - 1);
        Assert.Empty(hub.Stripe.Transfers);
        foreach (var line in awaiting)
        {
            await w.ServiceAsync<int, PayoutExecutor>(async e => { await e.MarkPaidAsync(line.Id, "test", "bank ref 42", default); return 0; });
        }

        var completed = await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.FindAsync(runId, default));
        Assert.Equal(PayoutRunState.Completed, completed.State);
        Assert.True((await w.ServiceAsync<LedgerReport, LedgerVerifier>(v => v.VerifyAsync(default))).Balanced);
        Assert.Equal(awaiting.Sum(l => l.Amount), await w.ServiceAsync<long, LedgerService>(l => l.RawBalanceAsync(LedgerAccounts.ManualPayouts, default)) * -1);
    }

    [Fact]
    public async Task Execute_WhileAnotherExecutionHoldsTheLock_IsRefused()
    {
        var (hub, w) = await StartAsync(NewHub);
        await using var _ = hub;
        hub.Time.SetUtcNow(EarlyNovember);
        var run = await RunUntilApprovedAsync(w);
        await using var scope = hub.App.Services.CreateAsyncScope();
        await using var held = await scope.ServiceProvider.GetRequiredService<PayoutLock>().TryAcquireAsync(default);

        var error = await Assert.ThrowsAsync<HubValidationException>(() => w.ServiceAsync<ExecutionResult, PayoutExecutor>(s => s.ExecuteAsync(run.Id, "test", default)));

        Assert.NotNull(held);
        Assert.Contains("Another payout run is executing", error.Message, StringComparison.Ordinal);
        Assert.Equal(PayoutRunState.Approved, (await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.FindAsync(run.Id, default))).State);
    }

    private static async Task<PayoutRun> RunUntilApprovedAsync(PayoutWorld w)
    {
        var (run, _) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ComputeAsync(run.Id, "test", default));
        return await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ApproveAsync(run.Id, "test", default));
    }
}

public sealed class PayoutRunSqliteTests : PayoutRunTests
{
    protected override PayoutHubFixture NewHub() => new SqlitePayoutHubFixture();
}

public sealed class PayoutRunPostgresTests : PayoutRunTests
{
    protected override PayoutHubFixture NewHub() => new PostgresPayoutHubFixture();
}
