using System.Net.Http.Headers;
using System.Text;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Installations;
using Flattr.Protocol;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Flattr.Hub.IntegrationTests.Infrastructure;

/// <summary>Which database a suite runs against.</summary>
public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A real Hub on a loopback port (Kestrel, the full pipeline), on a fresh database of its own: a SQLite file in a temp
/// folder, or a new database on the PostgreSQL server that eng/test.sh starts (FLATTR_TEST_POSTGRES). The clock is a
/// FakeTimeProvider the tests move.
/// </summary>
public abstract class HubFixture(DatabaseKind kind) : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("flattr-hub-");
    private string? _postgresDatabase;
    private string[] _arguments = [];

    public DatabaseKind Kind { get; } = kind;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 10, 15, 12, 0, 0, TimeSpan.Zero));

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public HttpClient Client { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync()
    {
        // A free port chosen up front, so the Hub knows its own public address (links it builds must point back at it).
        var port = FreePort();
        string[] args =
        [
            "--urls", $"http://127.0.0.1:{port}", "--Hub:PublicUrl", $"http://127.0.0.1:{port}/",
            "--Hub:DataDirectory", _folder.FullName, "--environment", "Testing",
        ];
        if (Kind == DatabaseKind.Postgres)
        {
            var server = Environment.GetEnvironmentVariable("FLATTR_TEST_POSTGRES")
                ?? throw new InvalidOperationException(
                    "FLATTR_TEST_POSTGRES is not set. Run the suites with `bash eng/test.sh`, which starts PostgreSQL, or point it at a server.");
            _postgresDatabase = "flattr_" + Guid.NewGuid().ToString("N")[..16];
            ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _postgresDatabase }.ToString();
            args = [.. args, "--Hub:Database:Provider", "Postgres", "--ConnectionStrings:Hub", ConnectionString];
        }
        else
        {
            ConnectionString = $"Data Source={Path.Combine(_folder.FullName, "hub.db")}";
            args = [.. args, "--ConnectionStrings:Hub", ConnectionString];
        }

        _arguments = [.. args[2..], .. ExtraArguments()];
        App = HubApplication.Build([.. args, .. ExtraArguments()], builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(Time);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            ConfigureBuilder(builder);
        });
        await App.InitializeDatabaseAsync();
        await App.StartAsync();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address + "/");
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    protected virtual IEnumerable<string> ExtraArguments() => [];

    /// <summary>The configuration this Hub runs with (database, data folder, Stripe), for a second Hub process on the same data.</summary>
    public IReadOnlyList<string> HubArguments(bool includeUrls) =>
        includeUrls ? _arguments : [.. _arguments.Where((a, i) => !IsUrlArgument(i))];

    private bool IsUrlArgument(int index) =>
        _arguments[index] is "--Hub:PublicUrl" || (index > 0 && _arguments[index - 1] is "--Hub:PublicUrl");

    /// <summary>Adds test-only services to the Hub being built (after the fixture's own).</summary>
    protected virtual void ConfigureBuilder(WebApplicationBuilder builder)
    {
    }

    public virtual async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("FLATTR_TEST_POSTGRES"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        SqliteClearPools();
        _folder.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A scope on the running Hub's services, for arranging and checking state directly in its database.</summary>
    public async Task<T> WithDbAsync<T>(Func<HubDbContext, Task<T>> action)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    /// <summary>Registers an installation the way an admin does and returns its id and secret.</summary>
    public async Task<InstallationWithSecret> AddInstallationAsync(string name = "Blog", string url = "https://blog.example/")
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RegisterInstallation(name, url, "test"));
    }

    /// <summary>Sends a request signed as <paramref name="installation"/> would sign it, now on the fake clock.</summary>
    public Task<HttpResponseMessage> SendSignedAsync(
        InstallationWithSecret installation, HttpMethod method, string pathAndQuery, string? json = null, Action<HttpRequestMessage>? tamper = null) =>
        SendSignedAsync(installation.Installation.Id, installation.Secret, method, pathAndQuery, json is null ? null : Encoding.UTF8.GetBytes(json), tamper);

    public async Task<HttpResponseMessage> SendSignedAsync(
        string installationId, string secret, HttpMethod method, string pathAndQuery, byte[]? body, Action<HttpRequestMessage>? tamper = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress, pathAndQuery.TrimStart('/')));
        var timestamp = Time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(RequestSigning.InstallationHeader, installationId);
        request.Headers.Add(RequestSigning.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(RequestSigning.SignatureHeader, RequestSigning.Sign(secret, timestamp, method.Method, pathAndQuery, body ?? []));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        tamper?.Invoke(request);
        return await Client.SendAsync(request);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void SqliteClearPools() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
}

public sealed class SqliteHubFixture() : HubFixture(DatabaseKind.Sqlite);

public sealed class PostgresHubFixture() : HubFixture(DatabaseKind.Postgres);
