using System.Globalization;

namespace Flattr.Benchmarks;

/// <summary>The <c>--name value</c> options of the tool's commands; a name given twice keeps the last value.</summary>
internal sealed class CommandOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public CommandOptions(IEnumerable<string> args)
    {
        string? name = null;
        foreach (var arg in args)
        {
            if (name is null)
            {
                if (!arg.StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"expected an option such as --name value, found '{arg}'.");
                }

                name = arg;
            }
            else
            {
                _values[name] = arg;
                name = null;
            }
        }

        if (name is not null)
        {
            throw new ArgumentException($"option {name} needs a value.");
        }
    }

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name) ?? fallback;

    public string Required(string name) => _values.GetValueOrDefault(name) ?? throw new ArgumentException($"option {name} is required.");

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public long Long(string name, long fallback) => _values.TryGetValue(name, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The workload shape from <c>--readers --things --creators --clicks --period --seed</c>, defaulting to the large month.</summary>
    public WorkloadShape Shape()
    {
        var period = Text("--period") is { } p ? Period.Parse(p) : new Period(2026, 10);
        var large = WorkloadShape.Large(period);
        return new WorkloadShape(
            Int("--readers", large.Readers),
            Int("--things", large.Things),
            Int("--creators", large.Creators),
            Long("--clicks", large.Clicks),
            period,
            Int("--seed", large.Seed));
    }

    /// <summary>
    /// The Hub's configuration for a database: <c>--provider Sqlite|Postgres --connection "..." --data DIR</c>, as
    /// command-line configuration arguments for <see cref="Hub.HubApplication.Build"/>.
    /// </summary>
    public string[] HubArguments()
    {
        var provider = Text("--provider", "Sqlite");
        var data = Path.GetFullPath(Text("--data", Path.Combine(Path.GetTempPath(), "flattr-perf-hub")));
        Directory.CreateDirectory(data);
        var connection = Text("--connection") ?? (provider == "Sqlite" ? $"Data Source={Path.Combine(data, "hub.db")}" : Required("--connection"));
        return
        [
            "--Hub:Database:Provider", provider,
            "--ConnectionStrings:Hub", connection,
            "--Hub:DataDirectory", data,
            "--Logging:LogLevel:Default", "Warning",
            // EF Core logs the expected failed look-up of its history table on a new database as an error.
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore", "Critical",
        ];
    }
}
