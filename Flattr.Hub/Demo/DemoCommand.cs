using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Flattr.Hub.Cli;

namespace Flattr.Hub.Demo;

/// <summary><c>demo seed [--seed N]</c>: fill an empty Hub with a believable month to try the payout run on.</summary>
internal static class DemoCommand
{
    // Relaxed escaping: the set-password link keeps its '&' readable on a terminal (the output is JSON, never HTML).
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "The random seed; the same seed gives the same month.", DefaultValueFactory = _ => 42 };
        var command = new Command(
            "seed",
            "Fill an EMPTY Hub (no installations) with a demo month: three sites, twenty creators, a hundred funded readers and their "
            + "flattrs over the previous calendar month, and the admin demo-admin@example.org. Prints a JSON summary with the admin's "
            + "set-password link. Refuses (exit 2) on a Hub that has installations.") { seed };
        command.SetAction((parse, ct) => ConfigurationArguments.RunInHubAsync(parse, async (services, output) =>
        {
            var summary = await services.GetRequiredService<DemoSeeder>().SeedAsync(parse.GetValue(seed), ct);
            await output.WriteLineAsync(JsonSerializer.Serialize(summary, Json));
            return ExitCodes.Success;
        }, ct));
        return new Command("demo", "Demo data for trying the Hub out.") { command };
    }
}
