using System.CommandLine;
using Flattr.Hub.Admin;
using Flattr.Hub.Demo;
using Flattr.Hub.Installations;
using Flattr.Hub.Payouts;

namespace Flattr.Hub.Cli;

/// <summary>
/// The Hub's command line. <c>Flattr.Hub</c> with no verb runs the service; with a verb it runs that command and exits.
/// Commands that touch the database build the same application as the service, create the database and apply
/// migrations first, and accept configuration options such as <c>--ConnectionStrings:Hub "..."</c>.
/// </summary>
internal static class HubCommandLine
{
    private static readonly string[] Verbs = ["payouts", "installations", "admins", "ledger", "funds", "demo", "--help", "-h", "-?"];

    /// <summary>True when the arguments start with a command verb rather than host options such as <c>--urls</c>.</summary>
    public static bool Handles(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Flattr Hub: run with no command to start the service, or use one of the commands below.")
        {
            PayoutsCommand.Create(),
            PayoutsCommand.Ledger(),
            PayoutsCommand.Funds(),
            InstallationsCommand.Create(),
            AdminsCommand.Create(),
            DemoCommand.Create(),
        };
        foreach (var command in root.Subcommands.SelectMany(c => c.Subcommands).Where(c => c.Name != "simulate"))
        {
            // Unmatched tokens are configuration (--Section:Key value); anything else is refused below.
            command.TreatUnmatchedTokensAsErrors = false;
        }

        var parse = root.Parse(args);
        var errors = parse.Errors.Select(e => e.Message).Concat(ConfigurationArguments.Problems(parse.UnmatchedTokens)).ToList();
        if (errors.Count > 0)
        {
            foreach (var message in errors)
            {
                await error.WriteLineAsync(message);
            }

            await error.WriteLineAsync("Run with --help for usage.");
            return ExitCodes.BadInput;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>For tests and callers that are not async.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) => RunAsync(args, output, error).GetAwaiter().GetResult();
}
