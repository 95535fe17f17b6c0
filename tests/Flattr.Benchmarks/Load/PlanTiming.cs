using System.Diagnostics;
using System.Globalization;
using Flattr.Hub;
using Flattr.Hub.Clicks;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Flattr.Benchmarks.Load;

/// <summary>
/// <c>plan</c>: the payout run's create and compute steps (<see cref="PayoutRunService"/>, exactly as
/// <c>payouts create</c> and <c>payouts compute</c> run them) on a loaded database, each timed, with the process's
/// peak resident memory; with <c>--approve true</c>, the approval (the ledger booking) too. Prints the plan's totals as one JSON line so they can be compared with <c>payouts simulate</c>
/// on the CSV files of the same month.
/// </summary>
internal static class PlanTiming
{
    public static async Task<int> RunAsync(CommandOptions options)
    {
        var period = Period.Parse(options.Text("--period", "2026-10"));
        // The payout service logs how long each stage took (reading, splitting, saving): the breakdown of the figure.
        await using var app = HubApplication.Build([.. options.HubArguments(), "--Logging:LogLevel:Flattr.Hub.Payouts", "Information"]);
        await app.InitializeDatabaseAsync();

        var clock = Stopwatch.StartNew();
        Guid runId;
        bool existing;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            (var run, existing) = await scope.ServiceProvider.GetRequiredService<PayoutRunService>().CreateAsync(period, "perf", CancellationToken.None);
            runId = run.Id;
        }

        var created = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"plan: create {period}: {created:F1} s{(existing ? " (the run existed)" : string.Empty)}, peak RSS {PeakMegabytes():F0} MB"));

        clock.Restart();
        PayoutRunSummary summary;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var run = await scope.ServiceProvider.GetRequiredService<PayoutRunService>().ComputeAsync(runId, "perf", CancellationToken.None);
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var lines = await db.PayoutLines.CountAsync(l => l.RunId == runId);
            summary = new PayoutRunSummary(run.TotalBudget, run.Fee, run.CarriedOver, run.Distributed, run.CountedClicks, lines);
        }

        var computed = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"plan: compute: {computed:F1} s, peak RSS {PeakMegabytes():F0} MB (create + compute {created + computed:F1} s)"));
        if (options.Text("--approve", "false") == "true")
        {
            // Approving books the plan in the ledger: one entry per reader who spent, one per creator paid.
            clock.Restart();
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PayoutRunService>().ApproveAsync(runId, "perf", CancellationToken.None);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"plan: approve: {clock.Elapsed.TotalSeconds:F1} s, peak RSS {PeakMegabytes():F0} MB"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $$"""plan-totals: {"totalBudget":{{summary.TotalBudget}},"fee":{{summary.Fee}},"carriedOver":{{summary.CarriedOver}},"distributed":{{summary.Distributed}},"countedClicks":{{summary.CountedClicks}},"payoutLines":{{summary.Lines}}}"""));
        return 0;
    }

    /// <summary><c>count-clicks</c>: how many clicks the database holds for <c>--period</c> (default: the current month).</summary>
    public static async Task<int> CountClicksAsync(CommandOptions options)
    {
        var period = options.Text("--period") is { } p ? Period.Parse(p) : Period.Containing(TimeProvider.System.GetUtcNow());
        await using var app = HubApplication.Build(options.HubArguments());
        await using var scope = app.Services.CreateAsyncScope();
        var key = Click.PeriodKey(period);
        var count = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Clicks.LongCountAsync(c => c.Period == key);
        Console.WriteLine(count.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    // VmHWM: the most resident memory the process has had.
    private static double PeakMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    private sealed record PayoutRunSummary(long TotalBudget, long Fee, long CarriedOver, long Distributed, long CountedClicks, int Lines);
}
