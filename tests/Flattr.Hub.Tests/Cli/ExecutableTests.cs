using System.Diagnostics;
using System.Text.Json;

namespace Flattr.Hub.Tests.Cli;

/// <summary>The built Flattr.Hub executable, run as a separate process as a hub admin would run it.</summary>
public sealed class ExecutableTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("flattr-exe-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static async Task<(int Exit, string Out, string Err)> RunHubAsync(params string[] args)
    {
        // The Hub's assembly is copied beside the tests; run it through the dotnet host exactly like the built executable.
        var hub = Path.Combine(AppContext.BaseDirectory, "Flattr.Hub.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(hub);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task PayoutsSimulate_AsAProcess_WritesJsonToStdoutAndExitsZero()
    {
        var budgets = Path.Combine(_folder.FullName, "budgets.csv");
        var clicks = Path.Combine(_folder.FullName, "clicks.csv");
        await File.WriteAllTextAsync(budgets, "reader,budget\nann,500\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(clicks, "reader,thing,creator,clicked_at\nann,t,bob,2026-10-09T09:00:00Z\n", TestContext.Current.CancellationToken);

        var (exit, output, error) = await RunHubAsync("payouts", "simulate", "--period", "2026-10", "--budgets", budgets, "--clicks", clicks);

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(450, json.RootElement.GetProperty("creators")[0].GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task PayoutsSimulate_AsAProcessWithBadInput_ExitsTwoWithFileAndLineOnStderrOnly()
    {
        var budgets = Path.Combine(_folder.FullName, "budgets.csv");
        var clicks = Path.Combine(_folder.FullName, "clicks.csv");
        await File.WriteAllTextAsync(budgets, "reader,budget\nann,lots\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(clicks, "reader,thing,creator,clicked_at\n", TestContext.Current.CancellationToken);

        var (exit, output, error) = await RunHubAsync("payouts", "simulate", "--period", "2026-10", "--budgets", budgets, "--clicks", clicks);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("budgets.csv:2: budget 'lots'", error, StringComparison.Ordinal);
    }
}
