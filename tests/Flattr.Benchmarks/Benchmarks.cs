using System.Text;
using BenchmarkDotNet.Attributes;
using Flattr.Buttons;
using Flattr.Hub.Payouts.Simulation;
using Flattr.Payouts;
using Flattr.Protocol;

namespace Flattr.Benchmarks;

/// <summary>The split engine alone, on clicks already in memory: what the Hub's payout run pays per click.</summary>
[MemoryDiagnoser]
public class SplitEngineBenchmarks
{
    private (string Reader, long Budget)[] _budgets = [];
    private (string Reader, string Thing, string Creator, DateTimeOffset ClickedAt)[] _clicks = [];

    [Params(100_000)]
    public int Clicks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var shape = new WorkloadShape(Clicks / 10, Clicks / 50, Clicks / 500, Clicks, new Period(2026, 10), 7);
        var workload = new Workload(shape);
        _budgets = [.. workload.Budgets()];
        _clicks = [.. workload.Clicks()];
    }

    [Benchmark]
    public long Split()
    {
        var split = new MonthlySplit(new Period(2026, 10));
        foreach (var (reader, budget) in _budgets)
        {
            split.AddBudget(reader, budget);
        }

        foreach (var (reader, thing, creator, clickedAt) in _clicks)
        {
            split.AddClick(reader, thing, creator, clickedAt);
        }

        return split.Compute().Distributed;
    }
}

/// <summary><c>payouts simulate</c> end to end on files: CSV parsing, timestamps and the engine.</summary>
[MemoryDiagnoser]
public class SimulateBenchmarks
{
    private string _folder = string.Empty;
    private string _budgets = string.Empty;
    private string _clicks = string.Empty;

    [Params(100_000)]
    public int Clicks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("flattr-bench-").FullName;
        (_budgets, _clicks) = new Workload(new WorkloadShape(Clicks / 10, Clicks / 50, Clicks / 500, Clicks, new Period(2026, 10), 7)).WriteCsv(_folder);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public long SimulateFromCsv()
    {
        var split = new MonthlySplit(new Period(2026, 10));
        SplitCsv.ReadBudgets(_budgets, split);
        SplitCsv.ReadClicks(_clicks, split);
        return split.Compute().Distributed;
    }
}

/// <summary>Signing and verifying one installation request.</summary>
public class RequestSigningBenchmarks
{
    private readonly byte[] _body = Encoding.UTF8.GetBytes(
        """{"url":"https://blog.example/posts/1","title":"A post","category":"text","tags":["a","b"],"creator":{"externalId":"u1"}}""");

    private string _signature = string.Empty;

    [GlobalSetup]
    public void Setup() => _signature = RequestSigning.Sign("s3cret-s3cret-s3cret", 1_790_000_000, "PUT", "/api/v1/things/post-1", _body);

    [Benchmark]
    public string Sign() => RequestSigning.Sign("s3cret-s3cret-s3cret", 1_790_000_000, "PUT", "/api/v1/things/post-1", _body);

    [Benchmark]
    public SignatureCheck Verify() => RequestSigning.Verify(
        "s3cret-s3cret-s3cret", "1790000000", _signature, "PUT", "/api/v1/things/post-1", _body, DateTimeOffset.FromUnixTimeSeconds(1_790_000_010));
}

/// <summary>Rendering a button and a signed link, as a CMS does for every article on every page view.</summary>
[MemoryDiagnoser]
public class ButtonRendererBenchmarks
{
    private static readonly Uri Hub = new("https://hub.example.org/");

    private static readonly ThingLink Link = new(
        "inst-1", "post-1", new Uri("https://blog.example/posts/1"), "A post about \"quotes\" & <angles>", Things.ThingCategory.Text, "en", "u1", "Ann");

    private readonly ButtonContent _content = new(new Uri("https://hub.example.org/flattr?installation=inst-1&thing=post-1&sig=v1%3Dabc"), "A post", "Ann", 42);

    [Benchmark]
    public string RenderDefaultButton() => ButtonRenderer.RenderButton(_content);

    [Benchmark]
    public Uri CreateSignedLink() => FlattrLinks.Create(Hub, "s3cret-s3cret-s3cret", Link);
}
