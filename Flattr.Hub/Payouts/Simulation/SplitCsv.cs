using System.Globalization;
using Flattr.Payouts;
using nietras.SeparatedValues;

namespace Flattr.Hub.Payouts.Simulation;

/// <summary>
/// Reads the budgets and clicks files of <c>payouts simulate</c> (RFC 4180; ids may hold commas, quotes and any
/// Unicode) straight into the split engine, one row at a time.
/// </summary>
internal static class SplitCsv
{
    public static readonly string[] BudgetsHeader = ["reader", "budget"];
    public static readonly string[] ClicksHeader = ["reader", "thing", "creator", "clicked_at"];

    /// <summary>Adds every row of a budgets file (<c>reader,budget</c>) to the engine.</summary>
    /// <exception cref="CsvInputException">The file is missing or a row is bad; the message names file and line.</exception>
    public static void ReadBudgets(string path, MonthlySplit split)
    {
        using var reader = Open(path, BudgetsHeader);
        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            RequireColumns(path, line, row.ColCount, BudgetsHeader.Length);
            var budgetText = row[1].Span;
            if (!long.TryParse(budgetText, NumberStyles.None, CultureInfo.InvariantCulture, out var budget))
            {
                throw new CsvInputException(path, line, $"budget '{budgetText}' is not a whole, non-negative number of minor units.");
            }

            try
            {
                split.AddBudget(row[0].Span, budget);
            }
            catch (SplitInputException e)
            {
                throw new CsvInputException(path, line, e.Message);
            }
        }
    }

    /// <summary>About how many rows <paramref name="path"/> has: its length over the average length of its first lines (0 when it has too few to tell).</summary>
    internal static long EstimateRows(string path)
    {
        using var file = File.OpenRead(path);
        var sample = new byte[64 * 1024];
        var read = file.ReadAtLeast(sample, sample.Length, throwOnEndOfStream: false);
        var lines = sample.AsSpan(0, read).Count((byte)'\n');
        return lines < 2 ? 0 : file.Length * lines / read;
    }

    /// <summary>
    /// Adds every row of a clicks file (<c>reader,thing,creator,clicked_at</c>) to the engine: the file is read and each
    /// row checked on a second thread while this one records them (<see cref="MonthlySplit.AddClicks"/>).
    /// </summary>
    /// <exception cref="CsvInputException">The file is missing or a row is bad; the message names file and line.</exception>
    public static void ReadClicks(string path, MonthlySplit split)
    {
        using var reader = Open(path, ClicksHeader);
        split.ExpectClicks(EstimateRows(path));
        split.AddClicks(feed =>
        {
            foreach (var row in reader)
            {
                var line = row.LineNumberFrom;
                RequireColumns(path, line, row.ColCount, ClicksHeader.Length);
                var timeText = row[3].Span;
                if (!IsoTimestamp.TryParse(timeText, out var clickedAt))
                {
                    throw new CsvInputException(
                        path, line, $"clicked_at '{timeText}' is not an ISO 8601 time with an offset, such as 2026-10-05T14:30:00+02:00.");
                }

                try
                {
                    feed.Add(row[0].Span, row[1].Span, row[2].Span, clickedAt);
                }
                catch (SplitInputException e)
                {
                    throw new CsvInputException(path, line, e.Message);
                }
            }
        });
    }

    private static SepReader Open(string path, string[] expectedHeader)
    {
        SepReader reader;
        try
        {
            reader = Sep.New(',').Reader(o => o with { HasHeader = true, Unescape = true, DisableColCountCheck = true }).FromFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CsvInputException(path, 0, $"cannot be read: {e.Message}");
        }

        var names = reader.Header.ColNames;
        if (!names.SequenceEqual(expectedHeader, StringComparer.Ordinal))
        {
            var found = reader.Header.IsEmpty ? "an empty file" : $"'{string.Join(',', names)}'";
            reader.Dispose();
            throw new CsvInputException(path, 1, $"expected the header '{string.Join(',', expectedHeader)}' but found {found}.");
        }

        return reader;
    }

    private static void RequireColumns(string path, int line, int found, int expected)
    {
        if (found != expected)
        {
            throw new CsvInputException(path, line, $"expected {expected} fields but found {found}.");
        }
    }
}

/// <summary>A bad input file; <see cref="Exception.Message"/> reads <c>file:line: what is wrong</c>.</summary>
internal sealed class CsvInputException(string path, int line, string problem)
    : Exception(line > 0 ? $"{path}:{line}: {problem}" : $"{path}: {problem}")
{
    public string Path { get; } = path;

    public int Line { get; } = line;
}
