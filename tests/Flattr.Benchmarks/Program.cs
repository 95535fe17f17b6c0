using BenchmarkDotNet.Running;
using Flattr.Benchmarks;
using Flattr.Benchmarks.Load;

// The performance harness; docs/performance.md describes every command and eng/perf.sh runs them all.
//   generate       budgets.csv and clicks.csv for payouts simulate
//   load           the same month into a Hub database (bulk paths)
//   click-rate     open-loop constant-rate load on POST /api/v1/flattrs
//   sync-things    signed POST /api/v1/things:batch throughput
//   plan           payout run create + compute (and approve with --approve true) on a loaded database, timed
//   count-clicks   clicks stored for a period
//   bench          BenchmarkDotNet with its own options (also the default)
var verb = args.Length > 0 ? args[0] : "bench";
try
{
    return verb switch
    {
        "generate" => Generate(new CommandOptions(args[1..])),
        "load" => await HubLoader.RunAsync(new CommandOptions(args[1..])),
        "click-rate" => await ClickRate.RunAsync(new CommandOptions(args[1..])),
        "sync-things" => await ThingSync.RunAsync(new CommandOptions(args[1..])),
        "plan" => await PlanTiming.RunAsync(new CommandOptions(args[1..])),
        "count-clicks" => await PlanTiming.CountClicksAsync(new CommandOptions(args[1..])),
        _ => Bench(verb == "bench" ? args[1..] : args),
    };
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"{verb}: {e.Message}");
    return 2;
}

static int Generate(CommandOptions options)
{
    var shape = options.Shape();
    var folder = options.Text("--out", Path.Combine(Path.GetTempPath(), "flattr-workload"));
    var (budgets, clicks) = new Workload(shape).WriteCsv(folder);
    Console.WriteLine($"wrote {budgets} and {clicks} ({shape})");
    return 0;
}

static int Bench(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(Workload).Assembly).Run(args);
    // A benchmark that throws is reported, not raised: fail the command so a smoke run catches it.
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
