using System.Text;
using Flattr.Hub.Payouts.Simulation;

namespace Flattr.Hub.Tests.Payouts.Simulation;

/// <summary>How <c>payouts simulate</c> sizes the engine for a clicks file before reading it.</summary>
public sealed class SplitCsvTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("flattr-splitcsv-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void EstimateRows_LargeClicksFile_IsWithinFivePercentOfItsRows()
    {
        var path = Path.Combine(_folder.FullName, "clicks.csv");
        var text = new StringBuilder("reader,thing,creator,clicked_at\n");
        for (var i = 0; i < 50_000; i++)
        {
            text.Append($"reader-{i % 9_973},thing-{i % 311},creator-{i % 17},2026-10-{1 + (i % 28):00}T12:00:00+00:00\n");
        }

        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));

        var estimate = SplitCsv.EstimateRows(path);

        Assert.InRange(estimate, 47_500, 52_500);
    }

    [Fact]
    public void EstimateRows_FileOfOneLine_IsZero()
    {
        var path = Path.Combine(_folder.FullName, "clicks.csv");
        File.WriteAllText(path, "reader,thing,creator,clicked_at\n");

        Assert.Equal(0, SplitCsv.EstimateRows(path));
    }
}
