using System.Globalization;
using System.Text;

namespace Flattr.Benchmarks;

/// <summary>The shape of a synthetic month.</summary>
public sealed record WorkloadShape(int Readers, int Things, int Creators, long Clicks, Period Period, int Seed)
{
    /// <summary>The month issue targets are stated for: 10 million clicks by 1 million readers on 200,000 things of 20,000 creators.</summary>
    public static WorkloadShape Large(Period period) => new(1_000_000, 200_000, 20_000, 10_000_000, period, 42);
}

/// <summary>
/// Generates a believable month: a few things take most clicks (Zipf-like popularity), most readers fund a budget,
/// some clicks repeat, fall just outside the month or are self-flattrs. Deterministic for a seed.
/// </summary>
public sealed class Workload
{
    private static readonly long[] BudgetChoices = [200, 500, 500, 1000, 1000, 1000, 2000, 5000];

    private readonly WorkloadShape _shape;
    private readonly double[] _popularity;

    public Workload(WorkloadShape shape)
    {
        _shape = shape;
        // Cumulative weight 1/(rank^1.1): the top 1% of things take roughly half the clicks, as viral articles do.
        _popularity = new double[shape.Things];
        var sum = 0.0;
        for (var i = 0; i < shape.Things; i++)
        {
            sum += 1.0 / Math.Pow(i + 1, 1.1);
            _popularity[i] = sum;
        }

        for (var i = 0; i < shape.Things; i++)
        {
            _popularity[i] /= sum;
        }
    }

    public static string ReaderId(int reader) => "r" + reader.ToString(CultureInfo.InvariantCulture);

    public static string ThingId(int thing) => "t" + thing.ToString(CultureInfo.InvariantCulture);

    public string CreatorOf(int thing) => "c" + ((int)((thing * 7919L) % _shape.Creators)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Every budget row: about nine readers in ten fund a budget.</summary>
    public IEnumerable<(string Reader, long Budget)> Budgets()
    {
        var random = new Random(_shape.Seed);
        for (var reader = 0; reader < _shape.Readers; reader++)
        {
            if (random.Next(10) != 0)
            {
                yield return (ReaderId(reader), BudgetChoices[random.Next(BudgetChoices.Length)]);
            }
        }
    }

    /// <summary>Every click row, in time order within the month (with a few outside it).</summary>
    public IEnumerable<(string Reader, string Thing, string Creator, DateTimeOffset ClickedAt)> Clicks()
    {
        var random = new Random(_shape.Seed + 1);
        var start = _shape.Period.Start;
        var span = (_shape.Period.End - start).Ticks;
        for (long i = 0; i < _shape.Clicks; i++)
        {
            var thing = PickThing(random.NextDouble());
            var creator = CreatorOf(thing);
            // One click in a thousand is a creator flattring their own work; one in a hundred falls a day outside the month.
            var reader = i % 1000 == 999 ? creator : ReaderId(random.Next(_shape.Readers));
            var offset = (long)(random.NextDouble() * span);
            if (i % 100 == 50)
            {
                offset = random.Next(2) == 0 ? -TimeSpan.TicksPerDay : span + TimeSpan.TicksPerDay;
            }

            var when = start.AddTicks(offset - (offset % TimeSpan.TicksPerSecond));
            yield return (reader, ThingId(thing), creator, (i % 3 == 0) ? when.ToOffset(TimeSpan.FromHours(2)) : when);
        }
    }

    /// <summary>Writes <c>budgets.csv</c> and <c>clicks.csv</c> in the format <c>payouts simulate</c> reads.</summary>
    public (string Budgets, string Clicks) WriteCsv(string folder)
    {
        Directory.CreateDirectory(folder);
        var budgetsPath = Path.Combine(folder, "budgets.csv");
        var clicksPath = Path.Combine(folder, "clicks.csv");
        // Generated ids are letters and digits only, so no field needs RFC 4180 quoting.
        using (var budgets = new StreamWriter(budgetsPath, false, new UTF8Encoding(false), 1 << 20))
        {
            budgets.Write("reader,budget\n");
            foreach (var (reader, budget) in Budgets())
            {
                budgets.Write(reader);
                budgets.Write(',');
                budgets.Write(budget.ToString(CultureInfo.InvariantCulture));
                budgets.Write('\n');
            }
        }

        using (var clicks = new StreamWriter(clicksPath, false, new UTF8Encoding(false), 1 << 20))
        {
            clicks.Write("reader,thing,creator,clicked_at\n");
            Span<char> time = stackalloc char[32];
            foreach (var (reader, thing, creator, clickedAt) in Clicks())
            {
                clicks.Write(reader);
                clicks.Write(',');
                clicks.Write(thing);
                clicks.Write(',');
                clicks.Write(creator);
                clicks.Write(',');
                clickedAt.TryFormat(time, out var written, clickedAt.Offset == TimeSpan.Zero ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                clicks.Write(time[..written]);
                clicks.Write('\n');
            }
        }

        return (budgetsPath, clicksPath);
    }

    private int PickThing(double u)
    {
        var index = Array.BinarySearch(_popularity, u);
        return Math.Min(index < 0 ? ~index : index, _popularity.Length - 1);
    }
}
