using System.Net;
using System.Text;
using System.Text.Json;
using Flattr.Hub.Installations;
using Microsoft.Extensions.DependencyInjection;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Flattr.Protocol;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.IntegrationTests.Things;

/// <summary>The signed things API through the real HTTP pipeline, on each database.</summary>
public abstract class ThingsApiTests(HubFixture hub)
{
    private static string ThingJson(string title = "A post", string url = "https://blog.example/posts/1", string creator = "author-1", string? extra = null) =>
        $$"""{"url":"{{url}}","title":"{{title}}","description":"About things","category":"text","language":"en-GB","tags":["a","b"],"hidden":false,"creator":{"externalId":"{{creator}}","name":"Ann"}{{extra}}}""";

    private Task<int> CountThingsAsync(InstallationWithSecret installation) =>
        hub.WithDbAsync(db => db.Things.CountAsync(t => t.InstallationId == installation.Installation.Id));

    private static async Task<ThingView> ReadThingAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ProtocolJson.ThingView)!;

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Put_NewThing_Creates201AndAnUpdateGives200()
    {
        var site = await hub.AddInstallationAsync();

        var created = await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/post-1", ThingJson());
        var updated = await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/post-1", ThingJson(title: "A better title"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var first = await ReadThingAsync(created);
        var second = await ReadThingAsync(updated);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("A better title", second.Title);
        Assert.Equal("post-1", second.ExternalId);
        Assert.Equal(["a", "b"], second.Tags);
        Assert.Equal("author-1", second.Creator.ExternalId);
        Assert.False(second.Creator.Claimed);
        Assert.Equal(0, second.Clicks.AllTime);
        Assert.StartsWith(hub.BaseAddress.AbsoluteUri, second.FlattrUrl, StringComparison.Ordinal);
        Assert.Equal(1, await CountThingsAsync(site));
    }

    [Fact]
    public async Task Get_ReturnsWhatWasPut_AndUnknownIs404Problem()
    {
        var site = await hub.AddInstallationAsync();
        await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/p", ThingJson(title: "Kept"));

        var found = await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/things/p");
        var missing = await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/things/nope");

        Assert.Equal("Kept", (await ReadThingAsync(found)).Title);
        await AssertProblemAsync(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_ExternalIdWithSlashSpaceHashAndUnicode_RoundTripsEscaped()
    {
        var site = await hub.AddInstallationAsync();
        const string id = "2026/10 news#1 Überblick";
        var path = "/api/v1/things/" + Uri.EscapeDataString(id);

        var put = await hub.SendSignedAsync(site, HttpMethod.Put, path, ThingJson());
        var get = await hub.SendSignedAsync(site, HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(id, (await ReadThingAsync(get)).ExternalId);
    }

    [Fact]
    public async Task Delete_RetiresTheThingKeepingItAndAPutBringsItBack()
    {
        var site = await hub.AddInstallationAsync();
        await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/p", ThingJson());

        var deleted = await hub.SendSignedAsync(site, HttpMethod.Delete, "/api/v1/things/p");
        var afterDelete = await ReadThingAsync(await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/things/p"));
        var deletedAgain = await hub.SendSignedAsync(site, HttpMethod.Delete, "/api/v1/things/p");
        await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/p", ThingJson());
        var afterPut = await ReadThingAsync(await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/things/p"));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(afterDelete.Retired);
        Assert.Equal(HttpStatusCode.NoContent, deletedAgain.StatusCode);
        Assert.False(afterPut.Retired);
        await AssertProblemAsync(await hub.SendSignedAsync(site, HttpMethod.Delete, "/api/v1/things/never"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_InvalidThing_Is400ListingEveryErrorAndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();
        var json = """{"url":"not a url","title":"","category":"poetry","tags":["ok",""],"creator":{"externalId":""}}""";

        var response = await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/p", json);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "url", "title", "category", "tags[1]", "creator.externalId" }, errors);
        Assert.Equal(0, await CountThingsAsync(site));
    }

    [Fact]
    public async Task Put_TooLongExternalId_Is400()
    {
        var site = await hub.AddInstallationAsync();

        var response = await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/" + new string('x', 257), ThingJson());

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await CountThingsAsync(site));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"url":"https://a.example/","title":"t","hidden":"yes","creator":{"externalId":"c"}}""")]
    [InlineData("""{"url":"https://a.example/","title":42,"creator":{"externalId":"c"}}""")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("")]
    public async Task Put_MalformedOrMistypedJson_Is400ProblemAndStoresNothing(string body)
    {
        var site = await hub.AddInstallationAsync();

        var response = await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/p", body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await CountThingsAsync(site));
    }

    [Fact]
    public async Task Put_BodyOverFourMegabytes_Is413AndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();
        var huge = ThingJson(extra: $$""","padding":"{{new string('x', 5 * 1024 * 1024)}}" """);

        var response = await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/p", huge);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await CountThingsAsync(site));
    }

    [Fact]
    public async Task Batch_CreatesAndUpdatesInOneRequest()
    {
        var site = await hub.AddInstallationAsync();
        await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/b", ThingJson(title: "Old"));
        var items = string.Join(",", new[] { "a", "b", "c" }.Select(id => ThingJson(title: "T-" + id, creator: "cr-" + id, extra: $",\"externalId\":\"{id}\"")));

        var response = await hub.SendSignedAsync(site, HttpMethod.Post, "/api/v1/things:batch", $"{{\"things\":[{items}]}}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var batch = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ProtocolJson.ThingBatchResponse)!;
        Assert.Equal([true, false, true], batch.Things.Select(t => t.Created));
        Assert.Equal(["T-a", "T-b", "T-c"], batch.Things.Select(t => t.Thing.Title));
        Assert.Equal(3, await CountThingsAsync(site));
    }

    [Fact]
    public async Task Batch_OneInvalidItem_Is400NamingItAndStoresNone()
    {
        var site = await hub.AddInstallationAsync();
        var items = $"{ThingJson(extra: ",\"externalId\":\"ok-1\"")},{ThingJson(url: "ftp://x", extra: ",\"externalId\":\"bad\"")},{ThingJson(extra: ",\"externalId\":\"ok-1\"")}";

        var response = await hub.SendSignedAsync(site, HttpMethod.Post, "/api/v1/things:batch", $"{{\"things\":[{items}]}}");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("things[1].url", text, StringComparison.Ordinal);
        Assert.Contains("things[2].externalId", text, StringComparison.Ordinal);
        Assert.Equal(0, await CountThingsAsync(site));
    }

    [Fact]
    public async Task Batch_MoreThanFiveHundred_Is400()
    {
        var site = await hub.AddInstallationAsync();
        var items = string.Join(",", Enumerable.Range(0, 501).Select(i => ThingJson(extra: $",\"externalId\":\"t{i}\"")));

        var response = await hub.SendSignedAsync(site, HttpMethod.Post, "/api/v1/things:batch", $"{{\"things\":[{items}]}}");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await CountThingsAsync(site));
    }

    [Fact]
    public async Task Batch_FiveHundredThings_AreAllStored()
    {
        var site = await hub.AddInstallationAsync();
        var items = string.Join(",", Enumerable.Range(0, 500).Select(i => ThingJson(creator: $"c{i % 13}", extra: $",\"externalId\":\"t{i}\"")));

        var response = await hub.SendSignedAsync(site, HttpMethod.Post, "/api/v1/things:batch", $"{{\"things\":[{items}]}}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(500, await CountThingsAsync(site));
        Assert.Equal(13, await hub.WithDbAsync(db => db.Creators.CountAsync(c => c.InstallationId == site.Installation.Id)));
    }

    [Fact]
    public async Task AnotherInstallation_CannotSeeOrRetireTheThing_AndTheSameExternalIdIsItsOwn()
    {
        var owner = await hub.AddInstallationAsync("Owner");
        var other = await hub.AddInstallationAsync("Other");
        var original = await ReadThingAsync(await hub.SendSignedAsync(owner, HttpMethod.Put, "/api/v1/things/shared-id", ThingJson(title: "Mine")));

        var get = await hub.SendSignedAsync(other, HttpMethod.Get, "/api/v1/things/shared-id");
        var delete = await hub.SendSignedAsync(other, HttpMethod.Delete, "/api/v1/things/shared-id");
        var put = await ReadThingAsync(await hub.SendSignedAsync(other, HttpMethod.Put, "/api/v1/things/shared-id", ThingJson(title: "Theirs")));
        var stillMine = await ReadThingAsync(await hub.SendSignedAsync(owner, HttpMethod.Get, "/api/v1/things/shared-id"));

        await AssertProblemAsync(get, HttpStatusCode.NotFound);
        await AssertProblemAsync(delete, HttpStatusCode.NotFound);
        Assert.NotEqual(original.Id, put.Id);
        Assert.Equal("Mine", stillMine.Title);
        Assert.False(stillMine.Retired);
    }

    [Fact]
    public async Task Installation_ReturnsTheCallersRegistration()
    {
        var site = await hub.AddInstallationAsync("Photo site", "https://photos.example/");

        var response = await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/installation");

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(site.Installation.Id, json.RootElement.GetProperty("id").GetString());
        Assert.Equal("Photo site", json.RootElement.GetProperty("name").GetString());
        Assert.Equal("https://photos.example/", json.RootElement.GetProperty("url").GetString());
    }

    [Fact]
    public async Task UnknownInstallation_Is401AndStoresNothing()
    {
        var response = await hub.SendSignedAsync("in_doesnotexist", "fs_whatever", HttpMethod.Put, "/api/v1/things/p", Encoding.UTF8.GetBytes(ThingJson()));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(0, await hub.WithDbAsync(db => db.Things.CountAsync(t => t.InstallationId == "in_doesnotexist")));
    }

    [Fact]
    public async Task WrongSecret_Is401AndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();

        var response = await hub.SendSignedAsync(site.Installation.Id, "fs_not-the-secret", HttpMethod.Put, "/api/v1/things/p", Encoding.UTF8.GetBytes(ThingJson()));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountThingsAsync(site));
    }

    [Fact]
    public async Task TamperedBody_Is401AndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();

        var response = await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/p", ThingJson(), request =>
            request.Content = new StringContent(ThingJson(creator: "attacker"), Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountThingsAsync(site));
    }

    [Fact]
    public async Task TamperedPath_Is401AndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();

        var response = await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/p", ThingJson(), request =>
            request.RequestUri = new Uri(hub.BaseAddress, "api/v1/things/q"));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountThingsAsync(site));
    }

    [Fact]
    public async Task MissingOrMalformedSignatureHeaders_Are401()
    {
        var site = await hub.AddInstallationAsync();

        var missing = await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/installation", tamper: r => r.Headers.Remove(RequestSigning.SignatureHeader));
        var malformed = await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/installation", tamper: r =>
        {
            r.Headers.Remove(RequestSigning.SignatureHeader);
            r.Headers.Add(RequestSigning.SignatureHeader, "v2=abc");
        });
        var noInstallation = await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/installation", tamper: r => r.Headers.Remove(RequestSigning.InstallationHeader));

        await AssertProblemAsync(missing, HttpStatusCode.Unauthorized);
        await AssertProblemAsync(malformed, HttpStatusCode.Unauthorized);
        await AssertProblemAsync(noInstallation, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ReplayedRequestAfterFiveMinutes_Is401AndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();
        var body = Encoding.UTF8.GetBytes(ThingJson());
        var timestamp = hub.Time.GetUtcNow().ToUnixTimeSeconds();
        var signature = RequestSigning.Sign(site.Secret, timestamp, "PUT", "/api/v1/things/p", body);
        hub.Time.Advance(TimeSpan.FromSeconds(301));

        using var replay = new HttpRequestMessage(HttpMethod.Put, new Uri(hub.BaseAddress, "api/v1/things/p")) { Content = new ByteArrayContent(body) };
        replay.Headers.Add(RequestSigning.InstallationHeader, site.Installation.Id);
        replay.Headers.Add(RequestSigning.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        replay.Headers.Add(RequestSigning.SignatureHeader, signature);
        var response = await hub.Client.SendAsync(replay);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("300 seconds", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CountThingsAsync(site));
    }

    [Fact]
    public async Task RotatedSecret_OldOneStopsWorkingAndNewOneWorks()
    {
        var site = await hub.AddInstallationAsync();
        InstallationWithSecret rotated;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            rotated = await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(new RotateInstallationSecret(site.Installation.Id, "test"));
        }

        var old = await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/installation");
        var fresh = await hub.SendSignedAsync(rotated, HttpMethod.Get, "/api/v1/installation");

        Assert.NotEqual(site.Secret, rotated.Secret);
        await AssertProblemAsync(old, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task DisabledInstallation_Is401()
    {
        var site = await hub.AddInstallationAsync();
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(new SetInstallationDisabled(site.Installation.Id, true, "test"));
        }

        var response = await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/p", ThingJson());

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountThingsAsync(site));
    }

    [Fact]
    public async Task SecretsAreStoredEncrypted()
    {
        var site = await hub.AddInstallationAsync();

        var stored = await hub.WithDbAsync(db => db.Installations.AsNoTracking().SingleAsync(i => i.Id == site.Installation.Id));

        Assert.DoesNotContain(site.Secret, stored.ProtectedSecret, StringComparison.Ordinal);
        var keyRing = await hub.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.All(keyRing, xml => Assert.Contains("flattrEncryptedKey", xml, StringComparison.Ordinal));
    }
}

public sealed class ThingsApiSqliteTests(SqliteHubFixture hub) : ThingsApiTests(hub), IClassFixture<SqliteHubFixture>;

public sealed class ThingsApiPostgresTests(PostgresHubFixture hub) : ThingsApiTests(hub), IClassFixture<PostgresHubFixture>;
