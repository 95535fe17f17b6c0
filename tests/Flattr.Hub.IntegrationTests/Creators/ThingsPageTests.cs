using System.Globalization;
using System.Net;
using Flattr.Hub.IntegrationTests.Clicks;
using static Flattr.Hub.IntegrationTests.Clicks.FlattringTestData;

namespace Flattr.Hub.IntegrationTests.Creators;

/// <summary>/Creators/Things: the things of every creator an account claimed, with their flattrs.</summary>
public abstract class ThingsPageTests(FlattringFixture hub)
{
    [Fact]
    public async Task Get_Anonymous_RedirectsToSignIn()
    {
        using var anonymous = hub.NewBrowserlessClient();

        var response = await anonymous.GetAsync(new Uri("Creators/Things", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Accounts/SignIn", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ReaderWithoutTheCreatorRole_IsDenied()
    {
        var reader = await hub.CreateReaderAsync();
        using var browser = await hub.SignedInClientAsync(reader);

        var response = await browser.GetAsync(new Uri("Creators/Things", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Accounts/AccessDenied", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Creator_ListsThingsOfAllClaimedCreatorsAcrossInstallationsWithCounts()
    {
        var blog = await hub.AddInstallationAsync("Blog");
        var photos = await hub.AddInstallationAsync("Photos");
        var post = await hub.PutThingAsync(blog, "post", creator: "ann", title: "A post");
        var photo = await hub.PutThingAsync(photos, "photo", creator: "ann-p", title: "A photo");
        await hub.PutThingAsync(blog, "not-mine", creator: "bob", title: "Bob's post");
        var period = Period.Containing(hub.Time.GetUtcNow());
        var readers = new[] { await hub.CreateReaderAsync(), await hub.CreateReaderAsync() };
        foreach (var reader in readers)
        {
            await hub.PostFlattrAsync(await hub.CreateApiTokenAsync(reader.Id), long.Parse(post.Id, CultureInfo.InvariantCulture));
        }

        hub.Time.SetUtcNow(period.Next.Start.AddHours(1));
        await hub.PostFlattrAsync(await hub.CreateApiTokenAsync(readers[0].Id), long.Parse(post.Id, CultureInfo.InvariantCulture));
        var person = await hub.CreateReaderAsync();
        using var browser = await hub.SignedInClientAsync(person);
        // Claimed through the real claim page, so the account gets the creator role and its cookie is refreshed.
        foreach (var (site, creator) in new[] { (blog, "ann"), (photos, "ann-p") })
        {
            var response = await hub.SendSignedAsync(site, HttpMethod.Post, $"/api/v1/creators/{creator}/claim-link");
            var url = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await browser.SubmitFormAsync(new Uri(url).PathAndQuery)).StatusCode);
        }

        var html = await ReadHtmlAsync(await browser.GetAsync(new Uri("Creators/Things", UriKind.Relative)));

        var rows = html.QuerySelectorAll("table.things tbody tr").ToDictionary(r => r.GetAttribute("data-thing")!);
        Assert.Equal(new[] { photo.Id, post.Id }.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("1", rows[post.Id].QuerySelector(".this-period")!.TextContent);
        Assert.Equal("3", rows[post.Id].QuerySelector(".all-time")!.TextContent);
        Assert.Equal("0", rows[photo.Id].QuerySelector(".all-time")!.TextContent);
        Assert.Contains("Photos", rows[photo.Id].TextContent, StringComparison.Ordinal);
    }
}

public sealed class ThingsPageSqliteTests(FlattringSqliteFixture hub) : ThingsPageTests(hub), IClassFixture<FlattringSqliteFixture>;

public sealed class ThingsPagePostgresTests(FlattringPostgresFixture hub) : ThingsPageTests(hub), IClassFixture<FlattringPostgresFixture>;
