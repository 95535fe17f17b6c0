using Flattr.Hub;
using Flattr.Hub.Cli;

if (HubCommandLine.Handles(args))
{
    return await HubCommandLine.RunAsync(args, Console.Out, Console.Error);
}

var app = HubApplication.Build(args);
await app.InitializeDatabaseAsync();
await app.RunAsync();
return 0;

/// <summary>The Hub's entry point; public so integration tests can host it.</summary>
public partial class Program;
