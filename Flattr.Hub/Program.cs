using Flattr.Hub.Cli;

if (HubCommandLine.Handles(args))
{
    return HubCommandLine.Run(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health/live", () => TypedResults.Ok("live"));
await app.RunAsync();
return 0;

/// <summary>The Hub's entry point; public so integration tests can host it.</summary>
public partial class Program;
