using System.Text.Json;
using Flattr.Hub.Accounts;
using Flattr.Hub.Cli;
using Flattr.Hub.Demo;
using Flattr.Hub.IntegrationTests.Funding;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Flattr.Hub.Ledger;
using Flattr.Hub.Payouts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.IntegrationTests.Demo;

/// <summary><c>demo seed</c>: a believable month on an empty Hub, then a full payout run on it; refused on a Hub in use.</summary>
public abstract class DemoSeedTests
{
    protected abstract HubFixture NewHub();

    private async Task<HubFixture> StartAsync()
    {
        var hub = NewHub();
        await hub.InitializeAsync();
        return hub;
    }

    private static async Task<(int Exit, string Out, string Err)> RunCliAsync(HubFixture hub, params string[] args)
    {
        string[] configuration =
        [
            "--ConnectionStrings:Hub", hub.ConnectionString,
            "--Hub:DataDirectory", hub.App.Configuration["Hub:DataDirectory"]!,
            "--Hub:PublicUrl", hub.BaseAddress.AbsoluteUri,
            "--Hub:Database:Provider", hub.Kind == DatabaseKind.Postgres ? "Postgres" : "Sqlite",
        ];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await HubCommandLine.RunAsync([.. args, .. configuration], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static Task<(int Users, int Installations, int Things, int Clicks, int Transactions)> CountsAsync(HubFixture hub) =>
        hub.WithDbAsync(async db => (await db.Users.CountAsync(), await db.Installations.CountAsync(), await db.Things.CountAsync(),
            await db.Clicks.CountAsync(), await db.LedgerTransactions.CountAsync()));

    [Fact]
    public async Task DemoSeed_EmptyHub_MakesABelievableMonthThatAFullManualRunPaysWithABalancedLedger()
    {
        await using var hub = await StartAsync();

        var summary = await hub.WithScopeAsync<DemoSummary, DemoSeeder>(s => s.SeedAsync(7, default));

        Assert.Equal(("2026-09", "Manual"), (summary.Period, summary.PayoutMode));
        Assert.Equal((3, 20, 12, 8, 0, 100), (summary.Installations, summary.Creators, summary.ClaimedCreators, summary.CreatorAccounts, summary.PayoutAccountsReady, summary.Readers));
        Assert.InRange(summary.ReadersFunded, 80, 100);
        Assert.InRange(summary.Things, 40, 100);
        Assert.InRange(summary.Clicks, 200, 800);
        Assert.StartsWith(hub.BaseAddress.AbsoluteUri + "Accounts/ResetPassword?email=demo-admin", summary.AdminSetPasswordUrl, StringComparison.Ordinal);
        var september = new Period(2026, 9);
        Assert.True(await hub.WithDbAsync(db => db.Clicks.AllAsync(c => c.Period == 202609 && c.ClickedAt >= september.Start && c.ClickedAt < september.End)));
        Assert.True(await hub.WithDbAsync(db => db.Things.Select(t => t.Category).Distinct().CountAsync()) >= 4);
        // The skew: the most flattred thing has several times the flattrs of the median one.
        var perThing = await hub.WithDbAsync(db => db.Clicks.GroupBy(c => c.ThingId).Select(g => g.Count()).ToListAsync());
        Assert.True(perThing.Max() >= 4 * perThing.Order().ElementAt(perThing.Count / 2), string.Join(",", perThing.Order()));
        var isAdmin = await hub.WithScopeAsync<bool, UserManager<HubUser>>(async users => await users.IsInRoleAsync((await users.FindByEmailAsync(DemoSeeder.AdminEmail))!, HubRoles.Admin));
        Assert.True(isAdmin);

        var (run, _) = await hub.WithScopeAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(september, "test", default));
        await hub.WithScopeAsync<PayoutRun, PayoutRunService>(s => s.ComputeAsync(run.Id, "test", default));
        await hub.WithScopeAsync<PayoutRun, PayoutRunService>(s => s.ApproveAsync(run.Id, "test", default));
        var executed = await hub.WithScopeAsync<ExecutionResult, PayoutExecutor>(s => s.ExecuteAsync(run.Id, "test", default));
        var awaiting = await hub.WithDbAsync(db => db.PayoutLines.Where(l => l.RunId == run.Id && l.State == PayoutLineState.AwaitingManual).Select(l => l.Id).ToListAsync());
        foreach (var line in awaiting)
        {
            await hub.WithScopeAsync<int, PayoutExecutor>(async e =>
            {
                await e.MarkPaidAsync(line, "test", "SEPA", default);
                return 0;
            });
        }

        var done = await hub.WithDbAsync(db => db.PayoutRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id));
        var report = await hub.VerifyLedgerAsync();
        var balances = await hub.WithDbAsync(db => db.LedgerEntries.GroupBy(e => e.Account).Select(g => new { g.Key, Held = -g.Sum(e => e.Amount) }).ToDictionaryAsync(g => g.Key, g => g.Held));
        Assert.NotNull(executed.PayoutFile);
        Assert.True(awaiting.Count > 0);
        Assert.Equal(PayoutRunState.Completed, done.State);
        Assert.True(done.Distributed > 0 && done.Fee > 0 && done.CarriedOver > 0);
        Assert.True(report.Balanced, string.Join(" ", report.Problems));
        Assert.Empty(report.Warnings);
        Assert.Equal(summary.FundsCredited, -balances[LedgerAccounts.ManualReceipts]);
        Assert.Equal(
            summary.FundsCredited,
            balances.Where(b => b.Key.StartsWith(LedgerAccounts.ReaderFundsPrefix, StringComparison.Ordinal)).Sum(b => b.Value)
            + balances[LedgerAccounts.PlatformFees]
            + balances.Where(b => b.Key.StartsWith(LedgerAccounts.CreatorEarningsPrefix, StringComparison.Ordinal)).Sum(b => b.Value)
            + balances[LedgerAccounts.ManualPayouts]);
    }

    [Fact]
    public async Task DemoSeed_SameSeed_MakesTheSameMonth()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();

        await first.WithScopeAsync<DemoSummary, DemoSeeder>(s => s.SeedAsync(11, default));
        await second.WithScopeAsync<DemoSummary, DemoSeeder>(s => s.SeedAsync(11, default));

        static Task<List<string>> MonthAsync(HubFixture hub) => hub.WithDbAsync(async db =>
        {
            var budgets = await db.Users.Select(u => u.Email + " " + u.MonthlyBudget).ToListAsync();
            var clicks = await (from c in db.Clicks
                                join u in db.Users on c.ReaderId equals u.Id
                                join t in db.Things on c.ThingId equals t.Id
                                select u.Email + " " + t.Url + " " + c.ClickedAt.ToUnixTimeSeconds()).ToListAsync();
            var claims = await db.Creators.Where(c => c.Account != null).Select(c => c.Name + " " + c.Account!.Email).ToListAsync();
            return budgets.Concat(clicks).Concat(claims).Order(StringComparer.Ordinal).ToList();
        });
        Assert.Equal(await MonthAsync(first), await MonthAsync(second));
    }

    [Fact]
    public async Task DemoSeedCommand_EmptyHubThenAgain_PrintsTheSummaryThenExitsTwoChangingNothing()
    {
        await using var hub = await StartAsync();

        var (exit, output, error) = await RunCliAsync(hub, "demo", "seed", "--seed", "3");
        var afterFirst = await CountsAsync(hub);
        var (again, againOutput, againError) = await RunCliAsync(hub, "demo", "seed");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(3, json.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal(100, json.RootElement.GetProperty("readers").GetInt32());
        Assert.Contains("&code=", json.RootElement.GetProperty("adminSetPasswordUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, afterFirst.Installations);
        Assert.Equal(ExitCodes.BadInput, again);
        Assert.Empty(againOutput);
        Assert.Contains("not empty", againError, StringComparison.Ordinal);
        Assert.Equal(afterFirst, await CountsAsync(hub));
    }

    [Fact]
    public async Task DemoSeedCommand_HubWithAnInstallation_ExitsTwoAndChangesNothing()
    {
        await using var hub = await StartAsync();
        await hub.AddInstallationAsync("Real site", "https://real.example/");
        var before = await CountsAsync(hub);

        var (exit, output, error) = await RunCliAsync(hub, "demo", "seed");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Empty(output);
        Assert.Contains("not empty", error, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync(hub));
    }
}

public sealed class DemoSeedSqliteTests : DemoSeedTests
{
    protected override HubFixture NewHub() => new SqliteHubFixture();
}

public sealed class DemoSeedPostgresTests : DemoSeedTests
{
    protected override HubFixture NewHub() => new PostgresHubFixture();
}
