using System.CommandLine;
using Flattr.Hub.Payouts.Simulation;

namespace Flattr.Hub.Cli;

/// <summary>
/// The Hub's command line. <c>Flattr.Hub</c> with no verb runs the service; with a verb it runs that command and exits.
/// </summary>
internal static class HubCommandLine
{
    private static readonly string[] Verbs = ["payouts"];

    /// <summary>True when the arguments start with a command verb rather than host options such as <c>--urls</c>.</summary>
    public static bool Handles(string[] args) => args.Length > 0 && (Verbs.Contains(args[0], StringComparer.Ordinal) || args[0] is "--help" or "-h" or "-?");

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Flattr Hub: run with no command to start the service, or use one of the commands below.")
        {
            new Command("payouts", "Monthly payouts.") { SimulateCommand.Create() },
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                error.WriteLine(parseError.Message);
            }

            error.WriteLine("Run with --help for usage.");
            return ExitCodes.BadInput;
        }

        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
