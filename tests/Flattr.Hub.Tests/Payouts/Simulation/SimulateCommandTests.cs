using System.Text;
using System.Text.Json;
using Flattr.Hub.Cli;

namespace Flattr.Hub.Tests.Payouts.Simulation;

/// <summary><c>payouts simulate</c> through the Hub's real command line, on real files.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("flattr-simulate-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = HubCommandLine.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private (int Exit, string Out, string Err) Simulate(string budgets, string clicks, params string[] extra)
    {
        var budgetsPath = Write("budgets.csv", budgets);
        var clicksPath = Write("clicks.csv", clicks);
        return Run(["payouts", "simulate", "--period", "2026-10", "--budgets", budgetsPath, "--clicks", clicksPath, .. extra]);
    }

    private const string ClicksHeader = "reader,thing,creator,clicked_at\n";

    [Fact]
    public void Simulate_ValidFiles_PrintsOneJsonObjectWithTheSplit()
    {
        var (exit, output, error) = Simulate(
            "reader,budget\nann,1000\nbob,700\n",
            ClicksHeader + "ann,t1,cat,2026-10-01T00:00:00Z\nann,t2,dee,2026-10-03T10:00:00+02:00\nbob,t3,bob,2026-10-05T00:00:00Z\n");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Empty(error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("2026-10", root.GetProperty("period").GetString());
        Assert.Equal(1000, root.GetProperty("feeBasisPoints").GetInt32());
        Assert.Equal(1700, root.GetProperty("totalBudget").GetInt64());
        Assert.Equal(100, root.GetProperty("fee").GetInt64());
        Assert.Equal(700, root.GetProperty("carriedOver").GetInt64());
        Assert.Equal(900, root.GetProperty("distributed").GetInt64());
        Assert.Equal(
            [("cat", 450L), ("dee", 450L)],
            root.GetProperty("creators").EnumerateArray().Select(c => (c.GetProperty("creator").GetString()!, c.GetProperty("amount").GetInt64())));
        Assert.Single(output.Trim().Split('\n'));
    }

    [Fact]
    public void Simulate_FeeOption_ChangesTheFee()
    {
        var (exit, output, _) = Simulate("reader,budget\nann,1000\n", ClicksHeader + "ann,t1,cat,2026-10-01T00:00:00Z\n", "--fee-bps", "250");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(25, json.RootElement.GetProperty("fee").GetInt64());
        Assert.Equal(250, json.RootElement.GetProperty("feeBasisPoints").GetInt32());
    }

    [Fact]
    public void Simulate_QuotedIdsWithCommasQuotesNewlinesAndUnicode_AreReadAsRfc4180()
    {
        var (exit, output, error) = Simulate(
            "reader,budget\n\"Smith, Ann\",400\n\"Zoë \"\"Z\"\"\",300\n",
            ClicksHeader
            + "\"Smith, Ann\",\"post,1\",\"Ørsted \"\"the\"\" photographer\",2026-10-02T08:00:00Z\n"
            + "\"Zoë \"\"Z\"\"\",\"multi\nline\",写真家,2026-10-02T08:00:00Z\n");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var creators = json.RootElement.GetProperty("creators").EnumerateArray()
            .ToDictionary(c => c.GetProperty("creator").GetString()!, c => c.GetProperty("amount").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["Ørsted \"the\" photographer"] = 360, ["写真家"] = 270 }, creators);
    }

    [Fact]
    public void Simulate_HeaderOnlyFiles_GiveAnEmptySplit()
    {
        var (exit, output, _) = Simulate("reader,budget\n", ClicksHeader);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(0, json.RootElement.GetProperty("totalBudget").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("creators").GetArrayLength());
    }

    public static TheoryData<string, string, string, int, string> BadInputs => new()
    {
        { "wrong budgets header", "reader,amount\nann,1\n", ClicksHeader, 1, "budgets.csv:1: expected the header 'reader,budget'" },
        { "empty budgets file", "", ClicksHeader, 1, "budgets.csv:1: expected the header 'reader,budget' but found an empty file" },
        { "wrong clicks header", "reader,budget\n", "reader,thing,creator,time\n", 1, "clicks.csv:1: expected the header" },
        { "negative budget", "reader,budget\nann,10\nbob,-5\n", ClicksHeader, 3, "budgets.csv:3: budget '-5'" },
        { "decimal budget", "reader,budget\nann,2.50\n", ClicksHeader, 2, "budgets.csv:2: budget '2.50'" },
        { "empty budget", "reader,budget\nann,\n", ClicksHeader, 2, "budgets.csv:2: budget ''" },
        { "budget too large", "reader,budget\nann,1000000000000001\n", ClicksHeader, 2, "budgets.csv:2: budget 1000000000000001 is out of range" },
        { "duplicate reader", "reader,budget\nann,1\nbob,2\nann,3\n", ClicksHeader, 4, "budgets.csv:4: reader 'ann' already has a budget" },
        { "missing field", "reader,budget\nann\n", ClicksHeader, 2, "budgets.csv:2: expected 2 fields but found 1" },
        { "extra field", "reader,budget\n", ClicksHeader + "ann,t,c,2026-10-01T00:00:00Z,x\n", 2, "clicks.csv:2: expected 4 fields but found 5" },
        { "time without offset", "reader,budget\n", ClicksHeader + "ann,t,c,2026-10-01T00:00:00\n", 2, "clicks.csv:2: clicked_at '2026-10-01T00:00:00'" },
        { "unparseable time", "reader,budget\n", ClicksHeader + "ann,t,c,yesterday\n", 2, "clicks.csv:2: clicked_at 'yesterday'" },
        { "impossible date", "reader,budget\n", ClicksHeader + "ann,t,c,2026-02-30T00:00:00Z\n", 2, "clicks.csv:2: clicked_at" },
        {
            "thing with two creators", "reader,budget\n",
            ClicksHeader + "ann,t,cat,2026-10-01T00:00:00Z\nbob,u,cat,2026-10-01T00:00:00Z\nbob,t,dee,2026-10-01T00:00:00Z\n",
            4, "clicks.csv:4: thing 't' is listed with creator 'dee' but earlier with 'cat'"
        },
        { "empty reader id", "reader,budget\n", ClicksHeader + ",t,c,2026-10-01T00:00:00Z\n", 2, "clicks.csv:2: the reader id is empty" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Simulate_BadInput_ExitsWithTwoNamesFileAndLineAndPrintsNothingToStdout(
        string scenario, string budgets, string clicks, int line, string message)
    {
        var (exit, output, error) = Simulate(budgets, clicks);

        Assert.True(exit == ExitCodes.BadInput, scenario);
        Assert.Empty(output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains($".csv:{line}:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_BadRowAfterManyGoodOnes_StillPrintsNothingToStdout()
    {
        var rows = string.Concat(Enumerable.Range(0, 5000).Select(i => $"r{i},t{i % 50},c{i % 50},2026-10-01T00:00:00Z\n"));
        var (exit, output, error) = Simulate("reader,budget\n", ClicksHeader + rows + "r,t,c,not-a-time\n");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("clicks.csv:5002:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_MissingFile_ExitsWithTwoAndNamesIt()
    {
        var budgets = Write("budgets.csv", "reader,budget\n");
        var missing = Path.Combine(_folder.FullName, "nope.csv");

        var (exit, output, error) = Run("payouts", "simulate", "--period", "2026-10", "--budgets", budgets, "--clicks", missing);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("nope.csv", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--period", "2026-13")]
    [InlineData("--period", "October")]
    [InlineData("--fee-bps", "10001")]
    [InlineData("--fee-bps", "-1")]
    [InlineData("--fee-bps", "ten")]
    public void Simulate_BadOptionValue_ExitsWithTwo(string option, string value)
    {
        var budgets = Write("budgets.csv", "reader,budget\n");
        var clicks = Write("clicks.csv", ClicksHeader);
        string[] args = ["payouts", "simulate", "--period", "2026-10", "--budgets", budgets, "--clicks", clicks];
        args = option == "--period" ? [.. args.Select(a => a == "2026-10" ? value : a)] : [.. args, option, value];

        var (exit, output, error) = Run(args);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Simulate_MissingRequiredOption_ExitsWithTwo()
    {
        var (exit, output, error) = Run("payouts", "simulate", "--period", "2026-10");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("--budgets", error, StringComparison.Ordinal);
    }
}
