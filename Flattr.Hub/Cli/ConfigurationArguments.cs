using System.CommandLine;
using Flattr.Hub.Infrastructure;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Cli;

/// <summary>Runs a command inside the Hub application, with configuration given on the command line.</summary>
internal static class ConfigurationArguments
{
    // The host's own settings, which the service accepts on its command line too.
    private static readonly string[] HostKeys = ["--environment", "--contentRoot", "--applicationName"];

    /// <summary>Tokens that are not configuration options (<c>--Section:Key</c>, <c>--Section:Key=value</c>, host settings).</summary>
    public static IEnumerable<string> Problems(IReadOnlyList<string> unmatched)
    {
        for (var i = 0; i < unmatched.Count; i++)
        {
            var token = unmatched[i];
            var key = token.Split('=')[0];
            if (!token.StartsWith("--", StringComparison.Ordinal) || (!token.Contains(':', StringComparison.Ordinal) && !HostKeys.Contains(key, StringComparer.OrdinalIgnoreCase)))
            {
                yield return $"Unrecognized argument '{token}'. Configuration is given as --Section:Key value.";
            }
            else if (!token.Contains('=', StringComparison.Ordinal))
            {
                i++; // the value
                if (i >= unmatched.Count)
                {
                    yield return $"Configuration option '{token}' needs a value.";
                }
            }
        }
    }

    /// <summary>
    /// Builds the Hub, validates its options, creates and migrates the database, then runs <paramref name="body"/> in a
    /// scope. Bad input (validation, options) exits 2 with the message on stderr; stdout stays empty.
    /// </summary>
    public static async Task<int> RunInHubAsync(ParseResult parse, Func<IServiceProvider, TextWriter, Task<int>> body, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        var output = parse.InvocationConfiguration.Output;
        try
        {
            await using var app = HubApplication.Build([.. parse.UnmatchedTokens], builder =>
            {
                // Logs go to stderr so stdout carries only the command's result.
                builder.Logging.ClearProviders();
                builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
            });
            app.Services.GetService<IStartupValidator>()?.Validate();
            await app.InitializeDatabaseAsync(cancellationToken);
            await using var scope = app.Services.CreateAsyncScope();
            return await body(scope.ServiceProvider, output);
        }
        catch (HubValidationException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.BadInput;
        }
        catch (OptionsValidationException e)
        {
            await error.WriteLineAsync("Configuration is invalid: " + string.Join(" ", e.Failures));
            return ExitCodes.BadInput;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("ConnectionStrings:Hub", StringComparison.Ordinal))
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.BadInput;
        }
    }
}
