using System.CommandLine;
using System.Text.Json;
using Flattr.Payouts;

using Flattr.Hub.Cli;

namespace Flattr.Hub.Payouts.Simulation;

/// <summary>
/// <c>payouts simulate</c>: runs the monthly split engine over a budgets file and a clicks file and prints the result
/// as one JSON object, so a hub admin can see what a month would pay before any money moves.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "The month to split, as yyyy-MM (UTC).", Required = true };
        var budgets = new Option<string>("--budgets") { Description = "CSV with header reader,budget (minor units).", Required = true };
        var clicks = new Option<string>("--clicks") { Description = "CSV with header reader,thing,creator,clicked_at.", Required = true };
        var fee = new Option<int>("--fee-bps")
        {
            Description = "Platform fee in basis points, 0 to 10000.",
            DefaultValueFactory = _ => MonthlySplit.DefaultFeeBasisPoints,
        };

        var command = new Command("simulate", "Split a month's budgets among creators from CSV files and print the result as JSON.")
        {
            period, budgets, clicks, fee,
        };
        command.SetAction(parse => Run(
            parse.GetValue(period)!,
            parse.GetValue(budgets)!,
            parse.GetValue(clicks)!,
            parse.GetValue(fee),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string periodText, string budgets, string clicks, int feeBasisPoints, TextWriter output, TextWriter error)
    {
        if (!Period.TryParse(periodText, out var period))
        {
            error.WriteLine($"--period: '{periodText}' is not a month; use yyyy-MM, for example 2026-10.");
            return ExitCodes.BadInput;
        }

        if (feeBasisPoints is < 0 or > 10_000)
        {
            error.WriteLine($"--fee-bps: {feeBasisPoints} is out of range; use 0 to 10000 (1000 = 10%).");
            return ExitCodes.BadInput;
        }

        SplitResult result;
        try
        {
            var split = new MonthlySplit(period, feeBasisPoints);
            SplitCsv.ReadBudgets(budgets, split);
            SplitCsv.ReadClicks(clicks, split);
            result = split.Compute();
        }
        catch (CsvInputException e)
        {
            error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }

        // Nothing reaches stdout until the whole result is known, so bad input never leaves half a document behind.
        output.Write(ToJson(result));
        output.WriteLine();
        return ExitCodes.Success;
    }

    internal static string ToJson(SplitResult result)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("period", result.Period.ToString());
            json.WriteNumber("feeBasisPoints", result.FeeBasisPoints);
            json.WriteNumber("totalBudget", result.TotalBudget);
            json.WriteNumber("fee", result.Fee);
            json.WriteNumber("carriedOver", result.CarriedOver);
            json.WriteNumber("distributed", result.Distributed);
            json.WriteStartArray("creators");
            foreach (var creator in result.Creators)
            {
                json.WriteStartObject();
                json.WriteString("creator", creator.CreatorId);
                json.WriteNumber("amount", creator.Amount);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            var stats = result.Statistics;
            json.WriteStartObject("statistics");
            json.WriteNumber("clickRows", stats.ClickRows);
            json.WriteNumber("countedClicks", stats.CountedClicks);
            json.WriteNumber("duplicateClicks", stats.DuplicateClicks);
            json.WriteNumber("selfClicks", stats.SelfClicks);
            json.WriteNumber("clicksOutsidePeriod", stats.ClicksOutsidePeriod);
            json.WriteNumber("readersWithBudget", stats.ReadersWithBudget);
            json.WriteNumber("readersWhoFlattred", stats.ReadersWhoFlattred);
            json.WriteNumber("things", stats.Things);
            json.WriteNumber("creatorsPaid", stats.CreatorsPaid);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
