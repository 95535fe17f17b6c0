using System.Globalization;
using BenchmarkDotNet.Running;
using Flattr;
using Flattr.Benchmarks;

// generate: writes budgets.csv and clicks.csv for payouts simulate; bench: BenchmarkDotNet with its own options.
if (args.Length > 0 && args[0] == "generate")
{
    var options = args.Skip(1).Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    var period = options.TryGetValue("--period", out var p) ? Period.Parse(p) : new Period(2026, 10);
    var large = WorkloadShape.Large(period);
    var shape = new WorkloadShape(
        Int("--readers", large.Readers),
        Int("--things", large.Things),
        Int("--creators", large.Creators),
        options.TryGetValue("--clicks", out var c) ? long.Parse(c, CultureInfo.InvariantCulture) : large.Clicks,
        period,
        Int("--seed", large.Seed));
    var folder = options.TryGetValue("--out", out var o) ? o : Path.Combine(Path.GetTempPath(), "flattr-workload");
    var (budgets, clicks) = new Workload(shape).WriteCsv(folder);
    Console.WriteLine($"wrote {budgets} and {clicks} ({shape})");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Workload).Assembly).Run(args.Length > 0 && args[0] == "bench" ? args[1..] : args);
return 0;
