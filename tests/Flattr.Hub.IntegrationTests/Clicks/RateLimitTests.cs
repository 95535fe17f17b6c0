using System.Globalization;
using System.Net;
using System.Text.Json;
using Flattr.Hub.IntegrationTests.Infrastructure;

namespace Flattr.Hub.IntegrationTests.Clicks;

/// <summary>
/// A Hub with tiny reader-API limits (2 per reader, 5 per IP) and an hour-long window, so no window boundary can fall
/// inside a test.
/// </summary>
public abstract class RateLimitedFixture(DatabaseKind kind) : FlattringFixture(kind)
{
    protected override IEnumerable<string> ExtraArguments() =>
        [.. base.ExtraArguments(), "--Hub:RateLimits:PerReader", "2", "--Hub:RateLimits:PerIp", "5", "--Hub:RateLimits:Window", "01:00:00"];
}

public sealed class RateLimitedSqliteFixture() : RateLimitedFixture(DatabaseKind.Sqlite);

public sealed class RateLimitedPostgresFixture() : RateLimitedFixture(DatabaseKind.Postgres);

/// <summary>The reader API's limits per reader and per client IP. One test per fixture: the limits are the fixture's state.</summary>
public abstract class RateLimitTests(RateLimitedFixture hub)
{
    private static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(429, json.RootElement.GetProperty("status").GetInt32());
        var retryAfter = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
    }

    [Fact]
    public async Task PostFlattr_BeyondThePerReaderThenThePerIpLimit_Is429ProblemWithRetryAfter()
    {
        var site = await hub.AddInstallationAsync();
        var things = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            things.Add(long.Parse((await hub.PutThingAsync(site, "t" + i)).Id, CultureInfo.InvariantCulture));
        }

        var ann = await hub.CreateReaderAsync();
        var bob = await hub.CreateReaderAsync();
        var cat = await hub.CreateReaderAsync();
        // Two tokens of one reader share the reader's limit.
        var annTokens = new[] { await hub.CreateApiTokenAsync(ann.Id), await hub.CreateApiTokenAsync(ann.Id) };
        var bobToken = await hub.CreateApiTokenAsync(bob.Id);
        var catToken = await hub.CreateApiTokenAsync(cat.Id);

        // Ann: two requests pass, the third (with her other token) hits the per-reader limit. IP count: 3.
        Assert.Equal(HttpStatusCode.Created, (await hub.PostFlattrAsync(annTokens[0], things[0])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await hub.PostFlattrAsync(annTokens[0], things[1])).StatusCode);
        await AssertTooManyAsync(await hub.PostFlattrAsync(annTokens[1], things[2]));

        // Bob has his own reader limit, but the address has 5: his two pass (IP count 5) and Cat, fresh, is refused.
        Assert.Equal(HttpStatusCode.Created, (await hub.PostFlattrAsync(bobToken, things[0])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await hub.PostFlattrAsync(bobToken, things[1])).StatusCode);
        await AssertTooManyAsync(await hub.PostFlattrAsync(catToken, things[3]));

        // The public count endpoint shares the per-IP limit; the things API (installations) is not limited by it.
        await AssertTooManyAsync(await hub.Client.GetAsync(new Uri($"api/v1/things/{things[0]}/count", UriKind.Relative)));
        Assert.Equal(HttpStatusCode.OK, (await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/installation")).StatusCode);
        Assert.Equal(2, await hub.WithDbAsync(db => Task.FromResult(db.Clicks.Count(c => c.ReaderId == ann.Id))));
    }
}

public sealed class RateLimitSqliteTests(RateLimitedSqliteFixture hub) : RateLimitTests(hub), IClassFixture<RateLimitedSqliteFixture>;

public sealed class RateLimitPostgresTests(RateLimitedPostgresFixture hub) : RateLimitTests(hub), IClassFixture<RateLimitedPostgresFixture>;
