using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.IntegrationTests.Operations;

/// <summary>Health, telemetry and the OpenAPI contract of a running Hub, on each database.</summary>
public abstract class OperationsTests(HubFixture hub)
{
    [Fact]
    public async Task HealthLiveAndReady_AreHealthyWhileTheDatabaseAnswers()
    {
        var live = await hub.Client.GetAsync("health/live");
        var ready = await hub.Client.GetAsync("health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignatureFailures_AreCountedInTheHubsMeter()
    {
        var factory = hub.App.Services.GetRequiredService<IMeterFactory>();
        long failures = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this Hub's meter: other Hubs run in the same test process.
            if (instrument.Meter.Scope == factory && instrument.Name == "flattr.signature.failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref failures, value));
        listener.Start();
        var site = await hub.AddInstallationAsync();

        await hub.SendSignedAsync(site.Installation.Id, "fs_wrong", HttpMethod.Get, "/api/v1/installation", null);
        await hub.SendSignedAsync(site.Installation.Id, "fs_wrong", HttpMethod.Get, "/api/v1/installation", null);
        await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/installation");

        Assert.Equal(2, Interlocked.Read(ref failures));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheInstallationApi()
    {
        using var document = JsonDocument.Parse(await hub.Client.GetStringAsync("openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/things/{externalId}", out var thing));
        Assert.True(thing.TryGetProperty("put", out _));
        Assert.True(thing.TryGetProperty("delete", out _));
        Assert.True(paths.TryGetProperty("/api/v1/things:batch", out _));
        Assert.Contains("Flattr-Signature", document.RootElement.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}

public sealed class OperationsSqliteTests(SqliteHubFixture hub) : OperationsTests(hub), IClassFixture<SqliteHubFixture>
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file for people to read in diffs
    };

    /// <summary>
    /// The committed contract (Flattr.Hub/Flattr.Hub.json) must equal what the Hub serves, so every API change shows in
    /// review. After an intended change, regenerate it with FLATTR_UPDATE_OPENAPI=1 and commit the file.
    /// </summary>
    [Fact]
    public async Task OpenApiDocument_MatchesTheCommittedContract()
    {
        var served = await hub.Client.GetStringAsync("openapi/v1.json");
        var committedPath = Path.Combine(RepositoryRoot(), "Flattr.Hub", "Flattr.Hub.json");
        var pretty = JsonSerializer.Serialize(JsonDocument.Parse(served).RootElement, Indented) + "\n";
        if (Environment.GetEnvironmentVariable("FLATTR_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(committedPath, pretty);
        }

        Assert.True(File.Exists(committedPath), $"{committedPath} is missing; run the tests with FLATTR_UPDATE_OPENAPI=1 and commit it.");
        var committed = await File.ReadAllTextAsync(committedPath);
        Assert.True(
            committed == pretty,
            "The API changed but Flattr.Hub/Flattr.Hub.json did not. Review the change, then run the tests with FLATTR_UPDATE_OPENAPI=1 and commit the file.");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Flattr.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Flattr.sln not found above the test folder.");
    }
}

public sealed class OperationsPostgresTests(PostgresHubFixture hub) : OperationsTests(hub), IClassFixture<PostgresHubFixture>;

/// <summary>Configuration is checked when the Hub starts, with messages an operator can act on.</summary>
public sealed class ConfigurationValidationTests
{
    [Theory]
    [InlineData("--Hub:Currency", "XYZ", "Hub:Currency 'XYZ'")]
    [InlineData("--Hub:MinimumMonthlyBudget", "two euros", "Hub:MinimumMonthlyBudget 'two euros'")]
    [InlineData("--Hub:MinimumMonthlyBudget", "0.001", "Hub:MinimumMonthlyBudget '0.001'")]
    [InlineData("--Hub:Database:Provider", "Oracle", "Hub:Database:Provider must be Sqlite or Postgres")]
    public async Task Start_WithInvalidSetting_FailsNamingIt(string key, string value, string message)
    {
        var folder = Directory.CreateTempSubdirectory("flattr-config-");
        try
        {
            await using var app = HubApplication.Build(["--urls", "http://127.0.0.1:0", "--Hub:DataDirectory", folder.FullName, key, value]);

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

            Assert.Contains(message, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Build_PostgresWithoutConnectionString_FailsSayingWhatToSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() => HubApplication.Build(["--Hub:Database:Provider", "Postgres"]));

        Assert.Contains("ConnectionStrings__Hub", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>OpenTelemetry collects only what it can export.</summary>
public sealed class TelemetryConfigurationTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("http://127.0.0.1:4317", true)]
    public async Task Build_CollectsTracesAndMetricsOnlyWhenAnOtlpEndpointIsSet(string? endpoint, bool collected)
    {
        var folder = Directory.CreateTempSubdirectory("flattr-telemetry-");
        try
        {
            string[] args = ["--Hub:DataDirectory", folder.FullName];
            await using var app = HubApplication.Build(endpoint is null ? args : [.. args, "--OTEL_EXPORTER_OTLP_ENDPOINT", endpoint]);

            Assert.Equal(collected, app.Services.GetService<OpenTelemetry.Trace.TracerProvider>() is not null);
            Assert.Equal(collected, app.Services.GetService<OpenTelemetry.Metrics.MeterProvider>() is not null);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
