using System.Diagnostics;
using Flattr.Hub.Ledger;
using Flattr.Hub.Payouts;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.IntegrationTests.Payouts;

/// <summary>
/// The payout run survives a crash at any instant. For every checkpoint of an execution in turn, a real Hub process
/// (the built executable) runs <c>payouts execute</c> and is killed there (SIGKILL, as abrupt as a power cut); a fresh
/// process then resumes the run. Every creator must be paid exactly once, none skipped, the ledger balanced and the
/// totals equal to the plan.
/// </summary>
public abstract class CrashRecoveryTests
{
    private const int Payees = 7;

    protected abstract PayoutHubFixture NewHub();

    private sealed record Scenario(PayoutHubFixture Hub, PayoutWorld World, Guid RunId, Dictionary<string, long> Plan);

    private async Task<Scenario> ArrangeApprovedRunAsync()
    {
        var hub = NewHub();
        await hub.InitializeAsync();
        var w = new PayoutWorld(hub, hub.Stripe);
        await w.PersonAsync("reader", 10_000);
        await w.FundAsync("reader", "100.00");
        for (var i = 0; i < Payees; i++)
        {
            await w.PersonAsync($"p{i}");
            await w.ConnectStripeAsync($"p{i}");
            await w.ThingAsync($"thing-{i}", $"creator-{i}", claimedBy: $"p{i}");
            await w.ClickAsync("reader", $"thing-{i}", 1 + i);
        }

        hub.Stripe.SetAvailableBalance("eur", 1_000_000);
        hub.Time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        var (run, _) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ComputeAsync(run.Id, "test", default));
        await w.ServiceAsync<PayoutRun, PayoutRunService>(s => s.ApproveAsync(run.Id, "test", default));
        var plan = await hub.WithDbAsync(db => db.PayoutLines.Where(l => l.RunId == run.Id).ToDictionaryAsync(l => l.PayeeId, l => l.Amount));
        Assert.Equal(Payees, plan.Count);
        return new Scenario(hub, w, run.Id, plan);
    }

    private static async Task<(int Exit, string Error)> ExecuteInProcessOfItsOwnAsync(Scenario s, string? faultAt)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Flattr.Hub.dll"));
        foreach (var arg in (string[])["payouts", "execute", s.RunId.ToString(), .. s.Hub.HubArguments(includeUrls: false)])
        {
            start.ArgumentList.Add(arg);
        }

        if (faultAt is not null)
        {
            start.Environment["FLATTR_FAULT_AT"] = faultAt;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await output;
        return (process.ExitCode, await error);
    }

    private static async Task AssertPaidExactlyOnceAsync(Scenario s, string context)
    {
        var accounts = await s.Hub.WithDbAsync(db => db.PayoutAccounts.ToDictionaryAsync(a => a.StripeAccountId, a => a.AccountId));
        var transfers = s.Hub.Stripe.Transfers;
        var byPayee = transfers.GroupBy(t => accounts[(string)t["destination"]!]).ToDictionary(g => g.Key, g => g.Select(t => (long)t["amount"]!).ToList());
        Assert.True(byPayee.Count == Payees && byPayee.Values.All(v => v.Count == 1), $"{context}: transfers per payee {string.Join(", ", byPayee.Values.Select(v => v.Count))}");
        Assert.Equal(s.Plan.OrderBy(p => p.Key), byPayee.ToDictionary(p => p.Key, p => p.Value.Single()).OrderBy(p => p.Key));

        var run = await s.Hub.WithDbAsync(db => db.PayoutRuns.SingleAsync(r => r.Id == s.RunId));
        var lines = await s.Hub.WithDbAsync(db => db.PayoutLines.Where(l => l.RunId == s.RunId).ToListAsync());
        Assert.True(run.State == PayoutRunState.Completed, $"{context}: run is {run.State}");
        Assert.All(lines, l => Assert.Equal(PayoutLineState.Sent, l.State));
        Assert.Equal(transfers.Select(t => (string)t["id"]!).Order(), lines.Select(l => l.StripeTransferId!).Order());

        var report = await s.World.ServiceAsync<LedgerReport, LedgerVerifier>(v => v.VerifyAsync(default));
        Assert.True(report.Balanced, $"{context}: {string.Join(" ", report.Problems)}");
        Assert.Equal(0, await s.World.ServiceAsync<long, LedgerService>(l => l.RawBalanceAsync(LedgerAccounts.TransfersInFlight, default)));
        Assert.Equal(-s.Plan.Values.Sum(), await s.World.ServiceAsync<long, LedgerService>(l => l.RawBalanceAsync(LedgerAccounts.StripeClearing, default)) - 0);
    }

    [Fact]
    public async Task Execute_KilledAtEveryCheckpointInTurn_ResumesPayingEveryCreatorExactlyOnce()
    {
        var killPoints = 0;
        for (var point = 1; ; point++)
        {
            var s = await ArrangeApprovedRunAsync();
            await using var _ = s.Hub;
            var (exit, error) = await ExecuteInProcessOfItsOwnAsync(s, $"any:{point}");
            if (exit == 0)
            {
                // The execution finished before reaching this point: every checkpoint has been tried.
                await AssertPaidExactlyOnceAsync(s, "an uninterrupted run");
                break;
            }

            Assert.True(error.Contains("fault injection: killing", StringComparison.Ordinal), $"point {point}: exit {exit} without the fault: {error}");
            killPoints++;
            var (resumed, resumeError) = await ExecuteInProcessOfItsOwnAsync(s, null);
            Assert.True(resumed == 0, $"point {point}: the resumed run failed: {resumeError}");
            await AssertPaidExactlyOnceAsync(s, $"killed at point {point} ({error.Trim()})");
        }

        // Execution start plus three points per payable line.
        Assert.True(killPoints >= 20, $"only {killPoints} kill points were exercised");
    }

    [Fact]
    public async Task Execute_KilledTwiceAndResumedAfterStripeForgotTheKeys_StillPaysEveryCreatorExactlyOnce()
    {
        var s = await ArrangeApprovedRunAsync();
        await using var _ = s.Hub;

        var first = await ExecuteInProcessOfItsOwnAsync(s, "execute.after-transfer-before-record:3");
        var second = await ExecuteInProcessOfItsOwnAsync(s, "execute.after-transfer-before-record:2");
        // More than 24 hours later Stripe may have pruned the idempotency keys; the resume must look transfers up first.
        s.Hub.Stripe.ForgetIdempotencyKeys();
        var resumed = await ExecuteInProcessOfItsOwnAsync(s, null);

        Assert.NotEqual(0, first.Exit);
        Assert.NotEqual(0, second.Exit);
        Assert.True(resumed.Exit == 0, resumed.Error);
        await AssertPaidExactlyOnceAsync(s, "two crashes and a late resume");
    }
}

public sealed class CrashRecoverySqliteTests : CrashRecoveryTests
{
    protected override PayoutHubFixture NewHub() => new SqlitePayoutHubFixture();
}

public sealed class CrashRecoveryPostgresTests : CrashRecoveryTests
{
    protected override PayoutHubFixture NewHub() => new PostgresPayoutHubFixture();
}
