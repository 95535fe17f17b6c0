using System.Globalization;
using System.Net;
using System.Text.Json;
using Flattr.HubClient;
using Flattr.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Flattr.Core.Tests.HubClient;

/// <summary>
/// The Hub client against a real Kestrel server on loopback (<see cref="FakeHub"/>) that verifies every request's
/// signature over the raw request target and body, so these tests prove the signature survives real HTTP: escaping,
/// retries and timeouts included.
/// </summary>
public sealed class FlattrHubClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ThingUpsert Upsert(string title = "A post") => new()
    {
        Url = "https://blog.example/posts/42",
        Title = title,
        Description = "About things.",
        Category = "audio",
        Language = "en-GB",
        Tags = ["dotnet", "flattr"],
        Creator = new CreatorUpsert { ExternalId = "ann", Name = "Ann Example" },
    };

    [Fact]
    public async Task UpsertThingAsync_NewThing_IsCreatedWithTheViewDeserialised()
    {
        await using var test = await HubTest.StartAsync();

        var result = await test.Client.UpsertThingAsync("post-42", Upsert("  A post  "), Ct);

        Assert.True(result.Created);
        var view = result.Thing;
        Assert.Equal("post-42", view.ExternalId);
        Assert.Equal("A post", view.Title);
        Assert.Equal("https://blog.example/posts/42", view.Url);
        Assert.Equal("About things.", view.Description);
        Assert.Equal("audio", view.Category);
        Assert.Equal("en-GB", view.Language);
        Assert.Equal(["dotnet", "flattr"], view.Tags);
        Assert.False(view.Hidden);
        Assert.False(view.Retired);
        Assert.Equal(new CreatorView { ExternalId = "ann", Name = "Ann Example", Claimed = false }, view.Creator);
        Assert.Equal(new ClickCounts { ThisPeriod = 3, AllTime = 42 }, view.Clicks);
        Assert.Equal(test.Hub.BaseAddress + "things/post-42", view.FlattrUrl);
        Assert.StartsWith("t-", view.Id, StringComparison.Ordinal);
        Assert.Equal(test.Hub.Things["post-42"].UpdatedAt, view.UpdatedAt);

        var request = Assert.Single(test.Hub.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/api/v1/things/post-42", request.RawTarget);
        Assert.Equal(SignatureCheck.Valid, request.Check);
        Assert.Equal(FakeHub.InstallationId, request.Installation);
        Assert.StartsWith("Flattr.Core/", request.UserAgent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertThingAsync_Body_IsCamelCaseJsonWithoutNulls()
    {
        await using var test = await HubTest.StartAsync();

        await test.Client.UpsertThingAsync("p", new ThingUpsert { Url = "https://b.example/", Title = "T", Creator = new() { ExternalId = "c" } }, Ct);

        using var body = JsonDocument.Parse(Assert.Single(test.Hub.Requests).Body);
        Assert.Equal(
            ["creator", "hidden", "title", "url"],
            body.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("c", body.RootElement.GetProperty("creator").GetProperty("externalId").GetString());
    }

    [Fact]
    public async Task UpsertThingAsync_ExistingThing_IsUpdatedNotCreated()
    {
        await using var test = await HubTest.StartAsync();
        await test.Client.UpsertThingAsync("post-42", Upsert("First"), Ct);

        var result = await test.Client.UpsertThingAsync("post-42", Upsert("Second"), Ct);

        Assert.False(result.Created);
        Assert.Equal("Second", result.Thing.Title);
        Assert.Equal(2, test.Hub.Requests.Count);
    }

    [Fact]
    public async Task UpsertThingAsync_ExternalIdWithReservedAndUnicodeCharacters_ArrivesEscapedAndVerifies()
    {
        const string id = "a/b c#d?e&f=é☕";
        // python3 -c 'import urllib.parse as u; print(u.quote("a/b c#d?e&f=é☕", safe=""))'
        const string escaped = "a%2Fb%20c%23d%3Fe%26f%3D%C3%A9%E2%98%95";
        await using var test = await HubTest.StartAsync();

        var result = await test.Client.UpsertThingAsync(id, Upsert(), Ct);
        var fetched = await test.Client.GetThingAsync(id, Ct);
        var retired = await test.Client.RetireThingAsync(id, Ct);

        Assert.True(result.Created);
        Assert.Equal(id, result.Thing.ExternalId);
        Assert.Equal(id, fetched?.ExternalId);
        Assert.True(retired);
        Assert.Equal(["PUT", "GET", "DELETE"], test.Hub.Requests.Select(r => r.Method));
        Assert.All(test.Hub.Requests, r => Assert.Equal("/api/v1/things/" + escaped, r.RawTarget));
        Assert.All(test.Hub.Requests, r => Assert.Equal(SignatureCheck.Valid, r.Check));
        Assert.Empty(test.Hub.Things);
    }

    [Fact]
    public async Task UpsertThingAsync_EmptyExternalId_ThrowsBeforeSending()
    {
        await using var test = await HubTest.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => test.Client.UpsertThingAsync(string.Empty, Upsert(), Ct));

        Assert.Empty(test.Hub.Requests);
    }

    [Fact]
    public async Task GetThingAsync_KnownThing_ReturnsIt()
    {
        await using var test = await HubTest.StartAsync();
        await test.Client.UpsertThingAsync("post-42", Upsert(), Ct);

        var view = await test.Client.GetThingAsync("post-42", Ct);

        Assert.NotNull(view);
        Assert.Equal("A post", view.Title);
        Assert.Equal(SignatureCheck.Valid, test.Hub.Requests[^1].Check);
        Assert.Empty(test.Hub.Requests[^1].Body);
    }

    [Fact]
    public async Task GetThingAsync_UnknownThing_ReturnsNullWithoutRetrying()
    {
        await using var test = await HubTest.StartAsync();

        var view = await test.Client.GetThingAsync("nope", Ct);

        Assert.Null(view);
        var request = Assert.Single(test.Hub.Requests);
        Assert.Equal(SignatureCheck.Valid, request.Check);
    }

    [Fact]
    public async Task RetireThingAsync_UnknownThing_ReturnsFalseWithoutRetrying()
    {
        await using var test = await HubTest.StartAsync();

        var retired = await test.Client.RetireThingAsync("nope", Ct);

        Assert.False(retired);
        Assert.Equal("DELETE", Assert.Single(test.Hub.Requests).Method);
    }

    [Fact]
    public async Task RetireThingAsync_KnownThing_ReturnsTrueAndTheHubForgetsIt()
    {
        await using var test = await HubTest.StartAsync();
        await test.Client.UpsertThingAsync("post-42", Upsert(), Ct);

        Assert.True(await test.Client.RetireThingAsync("post-42", Ct));
        Assert.Null(await test.Client.GetThingAsync("post-42", Ct));
    }

    [Fact]
    public async Task UpsertThingsAsync_Batch_ReturnsOneResultPerItemInOrder()
    {
        await using var test = await HubTest.StartAsync();
        await test.Client.UpsertThingAsync("b", Upsert("Old B"), Ct);
        ThingBatchItem[] items =
        [
            new() { ExternalId = "a", Url = "https://blog.example/a", Title = "A", Creator = new() { ExternalId = "ann" } },
            new() { ExternalId = "b", Url = "https://blog.example/b", Title = "New B", Creator = new() { ExternalId = "ann" } },
        ];

        var response = await test.Client.UpsertThingsAsync(items, Ct);

        Assert.Equal([("a", true, "A"), ("b", false, "New B")], response.Things.Select(t => (t.Thing.ExternalId, t.Created, t.Thing.Title)));
        var request = test.Hub.Requests[^1];
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v1/things:batch", request.RawTarget);
        Assert.Equal(SignatureCheck.Valid, request.Check);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(2, body.RootElement.GetProperty("things").GetArrayLength());
    }

    [Fact]
    public async Task UpsertThingsAsync_InvalidItem_ThrowsWithPrefixedErrors()
    {
        await using var test = await HubTest.StartAsync();
        ThingBatchItem[] items = [new() { ExternalId = "a", Url = "ftp://x", Title = "A", Creator = new() { ExternalId = "ann" } }];

        var exception = await Assert.ThrowsAsync<FlattrHubException>(() => test.Client.UpsertThingsAsync(items, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.Equal(["things[0].url"], exception.Problem?.Errors?.Keys);
        Assert.Single(test.Hub.Requests);
    }

    [Fact]
    public async Task RequestClaimLinkAsync_CreatorWithSlashAndUnicode_IsPostedEscapedAndSigned()
    {
        await using var test = await HubTest.StartAsync();

        var link = await test.Client.RequestClaimLinkAsync("ann/ü", Ct);

        Assert.Equal($"{test.Hub.BaseAddress}claim/ann%2F%C3%BC?token=abc", link.Url);
        Assert.True(link.ExpiresAt > TimeProvider.System.GetUtcNow().AddDays(6));
        var request = Assert.Single(test.Hub.Requests);
        Assert.Equal("POST", request.Method);
        // python3 -c 'import urllib.parse as u; print(u.quote("ann/ü", safe=""))'
        Assert.Equal("/api/v1/creators/ann%2F%C3%BC/claim-link", request.RawTarget);
        Assert.Empty(request.Body);
        Assert.Equal(SignatureCheck.Valid, request.Check);
    }

    [Fact]
    public async Task GetInstallationAsync_RightCredentials_ReturnsTheInstallation()
    {
        await using var test = await HubTest.StartAsync();

        var installation = await test.Client.GetInstallationAsync(Ct);

        Assert.Equal(new InstallationView { Id = FakeHub.InstallationId, Name = "Test blog", Url = "https://blog.example/" }, installation);
        var request = Assert.Single(test.Hub.Requests);
        Assert.Equal(("GET", "/api/v1/installation", SignatureCheck.Valid), (request.Method, request.RawTarget, request.Check));
    }

    [Theory]
    [InlineData("/hub", "")]
    [InlineData("/hub", "/")]
    [InlineData("/sites/blog one", "")]
    public async Task GetInstallationAsync_HubMountedUnderAPath_SignsTheFullTarget(string pathBase, string trailing)
    {
        await using var test = await HubTest.StartAsync(
            pathBase: pathBase,
            configure: (o, hub) => o.HubUrl = new Uri(hub.BaseAddress.AbsoluteUri.TrimEnd('/') + trailing));

        await test.Client.GetInstallationAsync(Ct);

        var request = Assert.Single(test.Hub.Requests);
        Assert.Equal(new Uri("http://x" + pathBase).AbsolutePath + "/api/v1/installation", request.RawTarget);
        Assert.Equal(SignatureCheck.Valid, request.Check);
    }

    [Fact]
    public async Task UpsertThingAsync_Hub503TwiceThen200_SucceedsOnTheThirdAttemptEachFreshlySigned()
    {
        await using var test = await HubTest.StartAsync();
        test.Hub.RespondNextWith(503);
        test.Hub.RespondNextWith(503);

        var result = await test.Client.UpsertThingAsync("post-42", Upsert(), Ct);

        Assert.True(result.Created);
        var attempts = test.Hub.Requests;
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(SignatureCheck.Valid, a.Check));
        Assert.All(attempts, a => Assert.Equal("/api/v1/things/post-42", a.RawTarget));
        Assert.All(attempts, a => Assert.Equal(attempts[0].Body, a.Body));
        Assert.NotEmpty(attempts[0].Body);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task GetInstallationAsync_TransientStatusOnce_IsRetried(int status)
    {
        await using var test = await HubTest.StartAsync();
        test.Hub.RespondNextWith(status);

        await test.Client.GetInstallationAsync(Ct);

        Assert.Equal(2, test.Hub.Requests.Count);
        Assert.All(test.Hub.Requests, a => Assert.Equal(SignatureCheck.Valid, a.Check));
    }

    [Fact]
    public async Task GetInstallationAsync_Hub503Always_ThrowsTransientHubExceptionAfterFourAttempts()
    {
        await using var test = await HubTest.StartAsync();
        for (var i = 0; i < 10; i++)
        {
            test.Hub.RespondNextWith(503, "Down for maintenance");
        }

        var exception = await Assert.ThrowsAsync<FlattrHubException>(() => test.Client.GetInstallationAsync(Ct));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, exception.StatusCode);
        Assert.False(exception.IsPermanent);
        Assert.Equal("Down for maintenance", exception.Problem?.Title);
        Assert.Contains("503", exception.Message, StringComparison.Ordinal);
        // The standard pipeline: one attempt and three retries.
        Assert.Equal(4, test.Hub.Requests.Count);
    }

    [Fact]
    public async Task UpsertThingAsync_Hub400WithErrors_ThrowsPermanentHubExceptionWithoutRetrying()
    {
        await using var test = await HubTest.StartAsync();

        var exception = await Assert.ThrowsAsync<FlattrHubException>(
            () => test.Client.UpsertThingAsync("post-42", Upsert() with { Title = null, Url = "/relative" }, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.True(exception.IsPermanent);
        Assert.NotNull(exception.Problem);
        Assert.Equal(400, exception.Problem.Status);
        Assert.Equal(["title", "url"], exception.Problem.Errors?.Keys.Order(StringComparer.Ordinal));
        Assert.NotEmpty(exception.Problem.Errors!["title"]);
        Assert.Contains("400", exception.Message, StringComparison.Ordinal);
        Assert.Contains("The thing is not valid.", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeHub.Secret, exception.ToString(), StringComparison.Ordinal);
        var attempt = Assert.Single(test.Hub.Requests);
        Assert.Equal(SignatureCheck.Valid, attempt.Check);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(409)]
    [InlineData(422)]
    public async Task GetInstallationAsync_Other4xx_IsPermanentAndNotRetried(int status)
    {
        await using var test = await HubTest.StartAsync();
        test.Hub.RespondNextWith(status);

        var exception = await Assert.ThrowsAsync<FlattrHubException>(() => test.Client.GetInstallationAsync(Ct));

        Assert.Equal(status, (int)exception.StatusCode);
        Assert.True(exception.IsPermanent);
        Assert.Single(test.Hub.Requests);
    }

    [Fact]
    public async Task UpsertThingAsync_HubHangsLongerThanAttemptTimeout_IsRetriedAndSucceeds()
    {
        await using var test = await HubTest.StartAsync(configure: (o, _) =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            o.TotalTimeout = TimeSpan.FromSeconds(3);
        });
        var before = await test.WarmUpAsync();
        test.Hub.HangNext();
        test.Hub.HangNext();

        var result = await test.Client.UpsertThingAsync("post-42", Upsert(), Ct);

        Assert.True(result.Created);
        var attempts = test.Hub.Requests.Skip(before).ToArray();
        Assert.Equal(3, attempts.Length);
        Assert.All(attempts, a => Assert.Equal(SignatureCheck.Valid, a.Check));
        Assert.All(attempts, a => Assert.Equal(attempts[0].Body, a.Body));
    }

    [Fact]
    public async Task GetInstallationAsync_HubHangsOnEveryAttempt_GivesUpWithATimeout()
    {
        await using var test = await HubTest.StartAsync(configure: (o, _) =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            o.TotalTimeout = TimeSpan.FromSeconds(3);
        });
        var before = await test.WarmUpAsync();
        for (var i = 0; i < 10; i++)
        {
            test.Hub.HangNext();
        }

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => test.Client.GetInstallationAsync(Ct));

        // The standard pipeline: one attempt and three retries, each abandoned after the attempt timeout.
        Assert.Equal(4, test.Hub.Requests.Count - before);
    }

    [Fact]
    public async Task UpsertThingAsync_RetryAfterTheClockMoved_IsSignedWithTheNewTime()
    {
        // The client and the Hub share one wall clock. The first attempt moves it ten minutes on and fails with 503; a
        // retry that reused the first attempt's signature would now be stale, so only a retry signed afresh succeeds.
        var clock = new ShiftableClock();
        await using var test = await HubTest.StartAsync(hubClock: clock, services: s => s.AddSingleton<TimeProvider>(clock));
        test.Hub.OnNext(() => clock.Shift(TimeSpan.FromMinutes(10)), 503);

        var result = await test.Client.UpsertThingAsync("post-42", Upsert(), Ct);

        Assert.True(result.Created);
        var attempts = test.Hub.Requests;
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(SignatureCheck.Valid, a.Check));
        var delta = long.Parse(attempts[1].Timestamp!, CultureInfo.InvariantCulture) - long.Parse(attempts[0].Timestamp!, CultureInfo.InvariantCulture);
        Assert.InRange(delta, 600, 602);
        Assert.NotEqual(attempts[0].Signature, attempts[1].Signature);
    }

    [Fact]
    public async Task UpsertThingAsync_ClientClockSixMinutesAhead_IsRejectedAsStale()
    {
        // The other side of the test above: the Hub really does reject a signature outside the 300 s window, and the
        // client reports it as a permanent 401 rather than retrying.
        var clientClock = new ShiftableClock();
        clientClock.Shift(TimeSpan.FromMinutes(6));
        await using var test = await HubTest.StartAsync(services: s => s.AddSingleton<TimeProvider>(clientClock));

        var exception = await Assert.ThrowsAsync<FlattrHubException>(() => test.Client.UpsertThingAsync("post-42", Upsert(), Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
        Assert.Equal(SignatureCheck.Stale, Assert.Single(test.Hub.Requests).Check);
    }

    [Fact]
    public async Task GetInstallationAsync_WrongSecret_ThrowsUnauthorizedWithoutRetrying()
    {
        const string wrongSecret = "not-the-installation-secret";
        await using var test = await HubTest.StartAsync(configure: (o, _) => o.Secret = wrongSecret);

        var exception = await Assert.ThrowsAsync<FlattrHubException>(() => test.Client.GetInstallationAsync(Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
        Assert.True(exception.IsPermanent);
        Assert.Equal(401, exception.Problem?.Status);
        var attempt = Assert.Single(test.Hub.Requests);
        Assert.Equal(SignatureCheck.Mismatch, attempt.Check);
        Assert.DoesNotContain(wrongSecret, exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(FakeHub.Secret, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertThingAsync_WrongInstallationId_ThrowsUnauthorizedWithoutRetrying()
    {
        await using var test = await HubTest.StartAsync(configure: (o, _) => o.InstallationId = "someone-else");

        var exception = await Assert.ThrowsAsync<FlattrHubException>(() => test.Client.UpsertThingAsync("p", Upsert(), Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
        var attempt = Assert.Single(test.Hub.Requests);
        Assert.Equal("someone-else", attempt.Installation);
        Assert.Equal(SignatureCheck.Valid, attempt.Check);
    }

    [Fact]
    public async Task GetInstallationAsync_CallerCancels_StopsWaiting()
    {
        await using var test = await HubTest.StartAsync();
        var before = await test.WarmUpAsync();
        test.Hub.HangNext();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => test.Client.GetInstallationAsync(cancellation.Token));

        Assert.Equal(1, test.Hub.Requests.Count - before);
    }

    // ---- Options ----

    private static ServiceProvider ClientServices(Action<FlattrHubOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddFlattrHubClient(configure);
        return services.BuildServiceProvider();
    }

    private static void Complete(FlattrHubOptions o)
    {
        o.HubUrl = new Uri("https://hub.example/");
        o.InstallationId = "inst-1";
        o.Secret = FakeHub.Secret;
    }

    [Theory]
    [InlineData("HubUrl")]
    [InlineData("InstallationId")]
    [InlineData("Secret")]
    public void Options_MissingSetting_FailValidationNamingIt(string setting)
    {
        using var provider = ClientServices(o =>
        {
            Complete(o);
            switch (setting)
            {
                case "HubUrl": o.HubUrl = null; break;
                case "InstallationId": o.InstallationId = " "; break;
                default: o.Secret = string.Empty; break;
            }
        });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FlattrHubOptions>>().Value);

        var failure = Assert.Single(exception.Failures);
        Assert.Contains(setting + " is not set", failure, StringComparison.Ordinal);
        Assert.Contains(setting, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeHub.Secret, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_NothingSet_ReportsEveryMissingSettingAtOnce()
    {
        using var provider = ClientServices(_ => { });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FlattrHubOptions>>().Value);

        Assert.Contains("HubUrl", exception.Message, StringComparison.Ordinal);
        Assert.Contains("InstallationId", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Secret", exception.Message, StringComparison.Ordinal);
        Assert.Equal(3, exception.Failures.Count());
    }

    [Theory]
    [InlineData("ftp://hub.example/")]
    [InlineData("file:///etc/hub")]
    [InlineData("/relative/hub")]
    public void Options_NonHttpHubUrl_FailsValidation(string hubUrl)
    {
        using var provider = ClientServices(o =>
        {
            Complete(o);
            o.HubUrl = new Uri(hubUrl, UriKind.RelativeOrAbsolute);
        });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FlattrHubOptions>>().Value);

        Assert.Contains("HubUrl", Assert.Single(exception.Failures), StringComparison.Ordinal);
        Assert.DoesNotContain(FakeHub.Secret, exception.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 60_000)]
    [InlineData(-1, 60_000)]
    [InlineData(10_001, 10_000)]
    public void Options_BadTimeouts_FailValidation(int attemptMs, int totalMs)
    {
        using var provider = ClientServices(o =>
        {
            Complete(o);
            o.AttemptTimeout = TimeSpan.FromMilliseconds(attemptMs);
            o.TotalTimeout = TimeSpan.FromMilliseconds(totalMs);
        });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FlattrHubOptions>>().Value);

        Assert.Contains("AttemptTimeout", Assert.Single(exception.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Complete_PassValidationWithDefaultTimeouts()
    {
        using var provider = ClientServices(Complete);

        var options = provider.GetRequiredService<IOptions<FlattrHubOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.TotalTimeout);
        Assert.NotNull(provider.GetRequiredService<FlattrHubClient>());
    }

    [Fact]
    public void Options_Missing_ResolvingTheClientFailsWithTheValidationMessage()
    {
        using var provider = ClientServices(o =>
        {
            Complete(o);
            o.HubUrl = null;
        });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<FlattrHubClient>());

        Assert.Contains("HubUrl", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeHub.Secret, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_MissingSettingInAHost_FailsAtStart()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddFlattrHubClient(o =>
        {
            o.HubUrl = new Uri("https://hub.example/");
            o.Secret = FakeHub.Secret;
        });
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("InstallationId", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeHub.Secret, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_CompleteInAHost_StartsAndTheClientWorks()
    {
        await using var hub = await FakeHub.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddFlattrHubClient(o =>
        {
            o.HubUrl = hub.BaseAddress;
            o.InstallationId = FakeHub.InstallationId;
            o.Secret = FakeHub.Secret;
        });
        using var host = builder.Build();

        await host.StartAsync(Ct);
        var installation = await host.Services.GetRequiredService<FlattrHubClient>().GetInstallationAsync(Ct);
        await host.StopAsync(Ct);

        Assert.Equal(FakeHub.InstallationId, installation.Id);
    }

    [Fact]
    public async Task Options_AttemptTimeoutEqualToTotalTimeout_AreAcceptedAndTheClientWorks()
    {
        // The validator allows an attempt to take the whole budget ("no longer than TotalTimeout").
        await using var test = await HubTest.StartAsync(configure: (o, _) =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(5);
        });

        var installation = await test.Client.GetInstallationAsync(Ct);

        Assert.Equal(FakeHub.InstallationId, installation.Id);
    }

    /// <summary>A fake Hub and a client wired to it through DI, as a CMS module registers it.</summary>
    private sealed class HubTest : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        private HubTest(FakeHub hub, ServiceProvider services)
        {
            Hub = hub;
            _services = services;
            Client = services.GetRequiredService<FlattrHubClient>();
        }

        public FakeHub Hub { get; }

        public FlattrHubClient Client { get; }

        public static async Task<HubTest> StartAsync(
            Action<FlattrHubOptions, FakeHub>? configure = null,
            string pathBase = "",
            TimeProvider? hubClock = null,
            Action<IServiceCollection>? services = null)
        {
            var hub = await FakeHub.StartAsync(pathBase, hubClock);
            var collection = new ServiceCollection();
            services?.Invoke(collection);
            collection.AddFlattrHubClient(o =>
            {
                o.HubUrl = hub.BaseAddress;
                o.InstallationId = FakeHub.InstallationId;
                o.Secret = FakeHub.Secret;
                // Generous by default so a slow first request on a busy machine is never retried by accident.
                o.AttemptTimeout = TimeSpan.FromSeconds(10);
                o.TotalTimeout = TimeSpan.FromSeconds(30);
                configure?.Invoke(o, hub);
            });
            // The host tunes the pipeline: retry after 10 ms instead of the standard 2 s exponential backoff, so retry
            // tests take milliseconds. Everything else (what is retried, how often, the timeouts) is as shipped.
            collection.ConfigureAll<HttpStandardResilienceOptions>(r => r.Retry.Delay = TimeSpan.FromMilliseconds(10));
            return new HubTest(hub, collection.BuildServiceProvider());
        }

        /// <summary>
        /// Successful calls, so the first timed attempt of a test does not pay for JIT and connection set-up. Returns how
        /// many requests the Hub has seen so far, so the test can count only its own.
        /// </summary>
        public async Task<int> WarmUpAsync()
        {
            await Client.GetInstallationAsync(Ct);
            await Client.UpsertThingAsync("warm-up", Upsert("Warm-up"), Ct);
            return Hub.Requests.Count;
        }

        public async ValueTask DisposeAsync()
        {
            await _services.DisposeAsync();
            await Hub.DisposeAsync();
        }
    }

    /// <summary>
    /// The system clock moved by an adjustable offset. Only the wall-clock reading shifts; timers and timestamps stay
    /// real, because the resilience pipeline takes the same TimeProvider from DI for its delays and timeouts (a
    /// FakeTimeProvider there would fire the 30 s total timeout the moment the clock is advanced).
    /// </summary>
    private sealed class ShiftableClock : TimeProvider
    {
        private long _offsetTicks;

        public void Shift(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
    }
}
