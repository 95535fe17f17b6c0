using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.IntegrationTests.Clicks;

/// <summary>POST /api/v1/flattrs with personal API tokens, and the public count endpoint, on each database.</summary>
public abstract class FlattrsApiTests(FlattringFixture hub)
{
    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
    }

    protected async Task<(TestReader Reader, string Token, long ThingId)> ArrangeAsync(long budget = 500)
    {
        var site = await hub.AddInstallationAsync();
        var thing = await hub.PutThingAsync(site, "post-" + Guid.NewGuid().ToString("N")[..8]);
        var reader = await hub.CreateReaderAsync(budget);
        var token = await hub.CreateApiTokenAsync(reader.Id);
        return (reader, token, long.Parse(thing.Id, CultureInfo.InvariantCulture));
    }

    protected Task<List<Flattr.Hub.Clicks.Click>> ClicksAsync(string readerId) =>
        hub.WithDbAsync(db => db.Clicks.AsNoTracking().Where(c => c.ReaderId == readerId).ToListAsync());

    [Fact]
    public async Task PostFlattr_NewThing_Is201AndStoresOneClickWithTheCreatorAndPeriod()
    {
        var (reader, token, thingId) = await ArrangeAsync();

        var response = await hub.PostFlattrAsync(token, thingId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(thingId.ToString(CultureInfo.InvariantCulture), json.RootElement.GetProperty("thing").GetString());
        var period = Period.Containing(hub.Time.GetUtcNow());
        Assert.Equal(period.ToString(), json.RootElement.GetProperty("period").GetString());
        Assert.True(json.RootElement.GetProperty("created").GetBoolean());
        var click = Assert.Single(await ClicksAsync(reader.Id));
        var creatorId = await hub.WithDbAsync(db => db.Things.Where(t => t.Id == thingId).Select(t => t.CreatorId).SingleAsync());
        Assert.Equal(creatorId, click.CreatorId);
        Assert.Equal((period.Year * 100) + period.Month, click.Period);
        Assert.Equal(hub.Time.GetUtcNow(), click.ClickedAt);
    }

    [Fact]
    public async Task PostFlattr_SecondTimeInThePeriod_Is200AndKeepsOneClick()
    {
        var (reader, token, thingId) = await ArrangeAsync();

        var first = await hub.PostFlattrAsync(token, thingId);
        var second = await hub.PostFlattrAsync(token, thingId);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var json = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.GetProperty("created").GetBoolean());
        Assert.Single(await ClicksAsync(reader.Id));
    }

    [Fact]
    public async Task PostFlattr_TwoConcurrentRequests_StoreExactlyOneClickAndOne201()
    {
        var (reader, token, thingId) = await ArrangeAsync();
        using var start = new Barrier(2);

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            return await hub.PostFlattrAsync(token, thingId);
        })));

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.Created],
            responses.Select(r => r.StatusCode).Order());
        Assert.Single(await ClicksAsync(reader.Id));
    }

    [Fact]
    public async Task PostFlattr_SameThingNextMonth_IsANewClick()
    {
        var (reader, token, thingId) = await ArrangeAsync();
        var period = Period.Containing(hub.Time.GetUtcNow());
        await hub.PostFlattrAsync(token, thingId);
        hub.Time.SetUtcNow(period.Next.Start.AddHours(9));

        var nextMonth = await hub.PostFlattrAsync(token, thingId);

        Assert.Equal(HttpStatusCode.Created, nextMonth.StatusCode);
        Assert.Equal(
            [Flattr.Hub.Clicks.Click.PeriodKey(period), Flattr.Hub.Clicks.Click.PeriodKey(period.Next)],
            (await ClicksAsync(reader.Id)).Select(c => c.Period).Order());
    }

    [Fact]
    public async Task PostFlattr_OwnThing_Is403AndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();
        var thing = await hub.PutThingAsync(site, "mine", creator: "me");
        var reader = await hub.CreateReaderAsync();
        await hub.ClaimDirectlyAsync(site.Installation.Id, "me", reader.Id);
        var token = await hub.CreateApiTokenAsync(reader.Id);

        var response = await hub.PostFlattrAsync(token, long.Parse(thing.Id, CultureInfo.InvariantCulture));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Empty(await ClicksAsync(reader.Id));
    }

    [Fact]
    public async Task PostFlattr_NoMonthlyBudget_Is402AndStoresNothing()
    {
        var (reader, token, thingId) = await ArrangeAsync(budget: 0);

        var response = await hub.PostFlattrAsync(token, thingId);

        await AssertProblemAsync(response, HttpStatusCode.PaymentRequired);
        Assert.Empty(await ClicksAsync(reader.Id));
    }

    [Fact]
    public async Task PostFlattr_UnknownOrRetiredThing_Is404()
    {
        var site = await hub.AddInstallationAsync();
        var retired = await hub.PutThingAsync(site, "old");
        await hub.SendSignedAsync(site, HttpMethod.Delete, "/api/v1/things/old");
        var reader = await hub.CreateReaderAsync();
        var token = await hub.CreateApiTokenAsync(reader.Id);

        await AssertProblemAsync(await hub.PostFlattrAsync(token, long.Parse(retired.Id, CultureInfo.InvariantCulture)), HttpStatusCode.NotFound);
        await AssertProblemAsync(await hub.PostFlattrAsync(token, 987654321), HttpStatusCode.NotFound);
        await AssertProblemAsync(await hub.PostFlattrAsync(token, """{"thing":"not-an-id"}"""), HttpStatusCode.NotFound);
        Assert.Empty(await ClicksAsync(reader.Id));
    }

    [Fact]
    public async Task PostFlattr_ThingOfADisabledInstallation_Is404()
    {
        var (reader, token, thingId) = await ArrangeAsync();
        var installationId = await hub.WithDbAsync(db => db.Things.Where(t => t.Id == thingId).Select(t => t.InstallationId).SingleAsync());
        await hub.WithDbAsync(db => db.Installations.Where(i => i.Id == installationId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.DisabledAt, hub.Time.GetUtcNow())));

        await AssertProblemAsync(await hub.PostFlattrAsync(token, thingId), HttpStatusCode.NotFound);
        Assert.Empty(await ClicksAsync(reader.Id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer ")]
    [InlineData("Bearer fh_not-a-real-token")]
    [InlineData("Bearer something-else")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task PostFlattr_MissingOrBadToken_Is401Problem(string? authorization)
    {
        var (reader, _, thingId) = await ArrangeAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hub.BaseAddress, "api/v1/flattrs"))
        {
            Content = new StringContent($$"""{"thing":"{{thingId}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await hub.Client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Empty(await ClicksAsync(reader.Id));
    }

    [Fact]
    public async Task PostFlattr_RevokedToken_Is401AndStoresNothing()
    {
        var (reader, _, thingId) = await ArrangeAsync();
        var revoked = await hub.CreateApiTokenAsync(reader.Id, revoked: true);

        var response = await hub.PostFlattrAsync(revoked, thingId);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty(await ClicksAsync(reader.Id));
    }

    [Fact]
    public async Task PostFlattr_ValidToken_UpdatesLastUsedAt()
    {
        var (_, token, thingId) = await ArrangeAsync();
        hub.Time.Advance(TimeSpan.FromMinutes(3));

        await hub.PostFlattrAsync(token, thingId);

        var hash = Flattr.Hub.Accounts.ApiTokens.Hash(token);
        var stored = await hub.WithDbAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.TokenHash == hash));
        Assert.Equal(hub.Time.GetUtcNow(), stored.LastUsedAt);
    }

    [Fact]
    public async Task PostFlattr_TokenRevokedAfterItWasUsed_Is401AtTheNextRequestAndStoresNothingMore()
    {
        var (reader, token, thingId) = await ArrangeAsync();
        var site = await hub.AddInstallationAsync();
        var other = long.Parse((await hub.PutThingAsync(site, "later")).Id, CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Created, (await hub.PostFlattrAsync(token, thingId)).StatusCode);

        var hash = Flattr.Hub.Accounts.ApiTokens.Hash(token);
        await hub.WithDbAsync(db => db.ApiTokens.Where(t => t.TokenHash == hash)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, hub.Time.GetUtcNow())));
        var response = await hub.PostFlattrAsync(token, other);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Single(await ClicksAsync(reader.Id));
    }

    [Fact]
    public async Task PostFlattr_AccountLockedAfterItsTokenWasUsed_Is401AtTheNextRequestAndStoresNothingMore()
    {
        var (reader, token, thingId) = await ArrangeAsync();
        var site = await hub.AddInstallationAsync();
        var other = long.Parse((await hub.PutThingAsync(site, "later")).Id, CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Created, (await hub.PostFlattrAsync(token, thingId)).StatusCode);

        await hub.WithDbAsync(db => db.Users.Where(u => u.Id == reader.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.LockoutEnd, hub.Time.GetUtcNow().AddDays(1))));
        var response = await hub.PostFlattrAsync(token, other);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("locked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await ClicksAsync(reader.Id));
    }

    [Fact]
    public async Task PostFlattr_TokenUsedAgainMinutesLater_RecordsTheLaterUse()
    {
        var (_, token, thingId) = await ArrangeAsync();
        var site = await hub.AddInstallationAsync();
        var other = long.Parse((await hub.PutThingAsync(site, "later")).Id, CultureInfo.InvariantCulture);
        await hub.PostFlattrAsync(token, thingId);
        hub.Time.Advance(TimeSpan.FromMinutes(2));

        await hub.PostFlattrAsync(token, other);

        var hash = Flattr.Hub.Accounts.ApiTokens.Hash(token);
        var stored = await hub.WithDbAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.TokenHash == hash));
        Assert.Equal(hub.Time.GetUtcNow(), stored.LastUsedAt);
    }

    [Fact]
    public async Task PostFlattr_CookieWithoutToken_Is401()
    {
        // The API takes tokens only: a signed-in browser's cookie must not flattr through it (no cross-site forgery).
        var (reader, _, thingId) = await ArrangeAsync();
        using var browser = await hub.SignedInClientAsync(reader);
        var response = await browser.PostAsync(
            new Uri("api/v1/flattrs", UriKind.Relative), new StringContent($$"""{"thing":"{{thingId}}"}""", System.Text.Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty(await ClicksAsync(reader.Id));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"thing":42}""")]
    [InlineData("""{"thing":["1"]}""")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"thing":""}""")]
    public async Task PostFlattr_MalformedOrMistypedJson_Is400Problem(string body)
    {
        var (reader, token, _) = await ArrangeAsync();

        var response = await hub.PostFlattrAsync(token, body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Empty(await ClicksAsync(reader.Id));
    }

    [Fact]
    public async Task PostFlattr_BodyOverSixteenKilobytes_Is413Problem()
    {
        var (reader, token, thingId) = await ArrangeAsync();

        var response = await hub.PostFlattrAsync(token, $$"""{"thing":"{{thingId}}","padding":"{{new string('x', 20_000)}}"}""");

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(await ClicksAsync(reader.Id));
    }

    [Fact]
    public async Task GetCount_CountsThisPeriodAndAllTime_PubliclyCacheable()
    {
        var (_, token, thingId) = await ArrangeAsync();
        var other = await hub.CreateReaderAsync();
        await hub.PostFlattrAsync(token, thingId);
        await hub.PostFlattrAsync(await hub.CreateApiTokenAsync(other.Id), thingId);
        hub.Time.SetUtcNow(Period.Containing(hub.Time.GetUtcNow()).Next.Start);
        await hub.PostFlattrAsync(token, thingId);

        var response = await hub.Client.GetAsync(new Uri($"api/v1/things/{thingId}/count", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.CacheControl?.MaxAge);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(thingId.ToString(CultureInfo.InvariantCulture), json.RootElement.GetProperty("thing").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("thisPeriod").GetInt64());
        Assert.Equal(3, json.RootElement.GetProperty("allTime").GetInt64());
    }

    [Theory]
    [InlineData("987654321")]
    [InlineData("abc")]
    [InlineData("-1")]
    public async Task GetCount_UnknownThing_Is404Problem(string id)
    {
        var response = await hub.Client.GetAsync(new Uri($"api/v1/things/{id}/count", UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }
}

public sealed class FlattrsApiSqliteTests(FlattringSqliteFixture hub) : FlattrsApiTests(hub), IClassFixture<FlattringSqliteFixture>;

public sealed class FlattrsApiPostgresTests(FlattringPostgresFixture hub) : FlattrsApiTests(hub), IClassFixture<FlattringPostgresFixture>
{
    [Fact]
    public async Task PostFlattr_AfterPostgresDroppedTheClickPathsAndWritersOpenConnections_IsStill201()
    {
        var (firstReader, firstToken, firstThing) = await ArrangeAsync();
        var (secondReader, secondToken, secondThing) = await ArrangeAsync();
        Assert.Equal(HttpStatusCode.Created, (await hub.PostFlattrAsync(firstToken, firstThing)).StatusCode);

        // What a restart of PostgreSQL, or a proxy closing idle connections, does to the sessions kept open between reads.
        var dropped = await hub.WithDbAsync(db => db.Database.SqlQuery<int>(
            $"""
            WITH sessions AS MATERIALIZED (
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND application_name IN ({Flattr.Hub.Clicks.ClickPathQueries.ApplicationName}, {Flattr.Hub.Clicks.ClickWriter.ApplicationName}))
            SELECT count(*)::int AS "Value" FROM sessions WHERE pg_terminate_backend(pid)
            """).SingleAsync());
        var response = await hub.PostFlattrAsync(secondToken, secondThing);

        Assert.True(dropped >= 2, $"Expected the click path's and the writer's connections to drop, dropped {dropped}.");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Single(await ClicksAsync(firstReader.Id));
        Assert.Single(await ClicksAsync(secondReader.Id));
    }
}
