using Flattr.Hub;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Installations;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flattr.Umbraco.Tests.EndToEnd;

/// <summary>
/// The real Flattr Hub (Kestrel on a loopback port, its full pipeline, a SQLite file of its own), started the way
/// <c>tests/Flattr.Hub.IntegrationTests</c> starts it, on a clock shared with the Umbraco side so signed timestamps agree.
/// </summary>
public sealed class LoopbackHub : IAsyncDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("flattr-umbraco-e2e-");
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<LoopbackHub> StartAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        var hub = new LoopbackHub();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string[] args =
        [
            "--urls", $"http://127.0.0.1:{port}", "--Hub:PublicUrl", $"http://127.0.0.1:{port}/",
            "--Hub:DataDirectory", hub._folder.FullName, "--environment", "Testing",
            "--ConnectionStrings:Hub", $"Data Source={Path.Combine(hub._folder.FullName, "hub.db")}",
        ];
        hub._app = HubApplication.Build(args, builder =>
        {
            builder.Services.AddSingleton(clock);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await hub._app.InitializeDatabaseAsync(cancellationToken);
        await hub._app.StartAsync(cancellationToken);
        hub.BaseAddress = new Uri(hub._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return hub;
    }

    /// <summary>Registers an installation as a Hub admin does; returns its id and secret.</summary>
    public async Task<InstallationWithSecret> AddInstallationAsync(string url = "https://blog.example/")
    {
        await using var scope = _app!.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RegisterInstallation("Umbraco blog", url, "test"));
    }

    /// <summary>Reads the Hub's own database.</summary>
    public async Task<T> WithDbAsync<T>(Func<HubDbContext, Task<T>> read)
    {
        await using var scope = _app!.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
