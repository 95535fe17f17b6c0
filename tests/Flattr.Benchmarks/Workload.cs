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

    public static string CreatorId(int creator) => "c" + creator.ToString(CultureInfo.InvariantCulture);

    public string CreatorOf(int thing) => CreatorId(CreatorIndexOf(thing));

    /// <summary>The creator of a thing, as an index: things are spread over creators, every creator has things.</summary>
    public int CreatorIndexOf(int thing) => (int)((thing * 7919L) % _shape.Creators);

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

    /// <summary>Every click row (times are random within the month, with a few outside it).</summary>
    public IEnumerable<(string Reader, string Thing, string Creator, DateTimeOffset ClickedAt)> Clicks()
    {
        foreach (var row in ClickRows())
        {
            var creator = CreatorOf(row.Thing);
            yield return (row.IsSelfClick ? creator : ReaderId(row.Reader), ThingId(row.Thing), creator, row.ClickedAt);
        }
    }

    /// <summary>The click rows of <see cref="Clicks"/> as indexes, for loaders that need no strings.</summary>
    public IEnumerable<ClickRow> ClickRows()
    {
        var random = new Random(_shape.Seed + 1);
        var start = _shape.Period.Start;
        var span = (_shape.Period.End - start).Ticks;
        for (long i = 0; i < _shape.Clicks; i++)
        {
            var thing = PickThing(random.NextDouble());
            // One click in a thousand is a creator flattring their own work; one in a hundred falls a day outside the month.
            var reader = i % 1000 == 999 ? -1 - CreatorIndexOf(thing) : random.Next(_shape.Readers);
            var offset = (long)(random.NextDouble() * span);
            if (i % 100 == 50)
            {
                offset = random.Next(2) == 0 ? -TimeSpan.TicksPerDay : span + TimeSpan.TicksPerDay;
            }

            var when = start.AddTicks(offset - (offset % TimeSpan.TicksPerSecond));
            yield return new ClickRow(reader, thing, (i % 3 == 0) ? when.ToOffset(TimeSpan.FromHours(2)) : when);
        }
    }

    /// <summary>Budget of every reader by index, 0 for none (the rows of <see cref="Budgets"/>).</summary>
    public long[] BudgetsByReader()
    {
        var budgets = new long[_shape.Readers];
        var random = new Random(_shape.Seed);
        for (var reader = 0; reader < _shape.Readers; reader++)
        {
            if (random.Next(10) != 0)
            {
                budgets[reader] = BudgetChoices[random.Next(BudgetChoices.Length)];
            }
        }

        return budgets;
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

/// <summary>One generated click: reader and thing by index; a self-click has <c>Reader = -1 - creator index</c>.</summary>
public readonly record struct ClickRow(int Reader, int Thing, DateTimeOffset ClickedAt)
{
    public bool IsSelfClick => Reader < 0;

    public int SelfCreator => -1 - Reader;
}
