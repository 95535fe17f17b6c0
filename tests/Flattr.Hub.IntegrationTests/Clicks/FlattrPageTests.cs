using System.Globalization;
using System.Net;
using Flattr.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Flattr.Hub.IntegrationTests.Clicks.FlattringTestData;

namespace Flattr.Hub.IntegrationTests.Clicks;

/// <summary>The button flow: GET /flattr?… from a signed link (and /things/{id}), and the confirming POST.</summary>
public abstract class FlattrPageTests(FlattringFixture hub)
{
    private Task<int> ThingCountAsync(string installationId) =>
        hub.WithDbAsync(db => db.Things.CountAsync(t => t.InstallationId == installationId));

    private Task<int> ClickCountAsync(string readerId) =>
        hub.WithDbAsync(db => db.Clicks.CountAsync(c => c.ReaderId == readerId));

    private static string Text(AngleSharp.Html.Dom.IHtmlDocument html) => html.Body?.TextContent ?? string.Empty;

    [Fact]
    public async Task Get_ValidLinkForANewThing_RegistersItAndShowsItWithSignInLinks()
    {
        var site = await hub.AddInstallationAsync("Ann's blog");
        var link = hub.LinkFor(site, "post-1", creator: "ann", title: "On flattring", url: "https://blog.example/posts/1?x=1&y=2");

        var response = await hub.Client.GetAsync(new Uri(link, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await ReadHtmlAsync(response);
        Assert.Contains("On flattring", html.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Ann Author", html.QuerySelector(".creator")!.TextContent);
        Assert.Equal("Text", html.QuerySelector(".category")!.TextContent);
        Assert.Equal("Ann's blog", html.QuerySelector(".installation")!.TextContent);
        Assert.Equal("https://blog.example/posts/1?x=1&y=2", html.QuerySelector("a.thing-link")!.GetAttribute("href"));
        Assert.Null(html.QuerySelector("form.flattr-confirm"));
        var signIn = html.QuerySelectorAll("a").Single(a => a.GetAttribute("href")!.StartsWith("/Accounts/SignIn?", StringComparison.Ordinal));
        var signUp = html.QuerySelectorAll("a").Single(a => a.GetAttribute("href")!.StartsWith("/Accounts/SignUp?", StringComparison.Ordinal));
        Assert.Equal("/Accounts/SignIn?returnUrl=" + Uri.EscapeDataString(link), signIn.GetAttribute("href"));
        Assert.Equal("/Accounts/SignUp?returnUrl=" + Uri.EscapeDataString(link), signUp.GetAttribute("href"));

        var stored = await hub.WithDbAsync(db => db.Things.Include(t => t.Creator).AsNoTracking().SingleAsync(t => t.InstallationId == site.Installation.Id));
        Assert.Equal("post-1", stored.ExternalId);
        Assert.Equal("On flattring", stored.Title);
        Assert.Equal("https://blog.example/posts/1?x=1&y=2", stored.Url);
        Assert.Equal("text", stored.Category);
        Assert.Equal("ann", stored.Creator.ExternalId);
        Assert.Equal("Ann Author", stored.Creator.Name);
    }

    [Fact]
    public async Task Get_SameLinkTwice_RegistersTheThingOnce()
    {
        var site = await hub.AddInstallationAsync();
        var link = hub.LinkFor(site, "post-1");

        var responses = await Task.WhenAll(
            hub.Client.GetAsync(new Uri(link, UriKind.Relative)), hub.Client.GetAsync(new Uri(link, UriKind.Relative)), hub.Client.GetAsync(new Uri(link, UriKind.Relative)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await ThingCountAsync(site.Installation.Id));
        Assert.Equal(1, await hub.WithDbAsync(db => db.Creators.CountAsync(c => c.InstallationId == site.Installation.Id)));
    }

    [Fact]
    public async Task Get_LinkForASyncedThing_ShowsTheStoredThingAndChangesNothing()
    {
        var site = await hub.AddInstallationAsync();
        var synced = await hub.PutThingAsync(site, "post-1", creator: "ann", title: "Synced title", url: "https://blog.example/synced");
        var link = hub.LinkFor(site, "post-1", creator: "mallory", title: "Title from the link", url: "https://elsewhere.example/");

        var html = await ReadHtmlAsync(await hub.Client.GetAsync(new Uri(link, UriKind.Relative)));

        Assert.Contains("Synced title", html.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("https://blog.example/synced", html.QuerySelector("a.thing-link")!.GetAttribute("href"));
        var stored = await hub.WithDbAsync(db => db.Things.Include(t => t.Creator).AsNoTracking().SingleAsync(t => t.InstallationId == site.Installation.Id));
        Assert.Equal(synced.Id, stored.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("Synced title", stored.Title);
        Assert.Equal("https://blog.example/synced", stored.Url);
        Assert.Equal("ann", stored.Creator.ExternalId);
    }

    [Fact]
    public async Task Get_LinkSignedWithAnotherSecret_Is403AndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();
        var forged = FlattrLinks.Create(hub.BaseAddress, "fs_not-the-secret", ThingLinkFor(site, "post-1")).PathAndQuery;

        var response = await hub.Client.GetAsync(new Uri(forged, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("signature does not match", Text(await ReadHtmlAsync(response)), StringComparison.Ordinal);
        Assert.Equal(0, await ThingCountAsync(site.Installation.Id));
    }

    [Theory]
    [InlineData("title", "A different title")]
    [InlineData("url", "https://attacker.example/")]
    [InlineData("creator", "mallory")]
    [InlineData("category", "audio")]
    [InlineData("creatorName", "Mallory")]
    public async Task Get_TamperedParameter_Is403AndStoresNothing(string parameter, string value)
    {
        var site = await hub.AddInstallationAsync();
        var link = hub.LinkFor(site, "post-1");
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(hub.BaseAddress, link).Query);
        query[parameter] = value;
        var tampered = "/flattr?" + string.Join("&", query.AllKeys.Select(k => $"{k}={Uri.EscapeDataString(query[k]!)}"));

        var response = await hub.Client.GetAsync(new Uri(tampered, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await ThingCountAsync(site.Installation.Id));
    }

    [Theory]
    [InlineData("sig")]
    [InlineData("title")]
    [InlineData("installation")]
    public async Task Get_IncompleteLink_Is400AndStoresNothing(string missing)
    {
        var site = await hub.AddInstallationAsync();
        var link = hub.LinkFor(site, "post-1");
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(hub.BaseAddress, link).Query);
        query.Remove(missing);
        var incomplete = "/flattr?" + string.Join("&", query.AllKeys.Select(k => $"{k}={Uri.EscapeDataString(query[k]!)}"));

        var response = await hub.Client.GetAsync(new Uri(incomplete, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("incomplete", Text(await ReadHtmlAsync(response)), StringComparison.Ordinal);
        Assert.Equal(0, await ThingCountAsync(site.Installation.Id));
    }

    [Fact]
    public async Task Get_ParameterGivenTwice_Is400AndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();
        var link = hub.LinkFor(site, "post-1");

        var response = await hub.Client.GetAsync(new Uri(link + "&thing=post-2", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await ThingCountAsync(site.Installation.Id));
    }

    [Fact]
    public async Task Get_DisabledOrUnknownInstallation_Is403AndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();
        var link = hub.LinkFor(site, "post-1");
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>()
                .Send(new Flattr.Hub.Installations.SetInstallationDisabled(site.Installation.Id, true, "test"));
        }

        var disabled = await hub.Client.GetAsync(new Uri(link, UriKind.Relative));
        var unknown = await hub.Client.GetAsync(new Uri(
            FlattrLinks.Create(hub.BaseAddress, site.Secret, ThingLinkFor(site, "post-1") with { InstallationId = "in_unknown" }).PathAndQuery, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
        Assert.Contains("not registered with this Hub, or it has been disabled", Text(await ReadHtmlAsync(disabled)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal(0, await ThingCountAsync(site.Installation.Id));
    }

    [Fact]
    public async Task Get_LinkOfARetiredThing_Is404AndKeepsItRetired()
    {
        var site = await hub.AddInstallationAsync();
        await hub.PutThingAsync(site, "old");
        await hub.SendSignedAsync(site, HttpMethod.Delete, "/api/v1/things/old");

        var response = await hub.Client.GetAsync(new Uri(hub.LinkFor(site, "old"), UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("can no longer be flattred", Text(await ReadHtmlAsync(response)), StringComparison.Ordinal);
        Assert.NotNull(await hub.WithDbAsync(db => db.Things.Where(t => t.InstallationId == site.Installation.Id).Select(t => t.RetiredAt).SingleAsync()));
    }

    [Fact]
    public async Task Get_ThingPageByHubId_ShowsTheThingAndUnknownIdIs404()
    {
        var site = await hub.AddInstallationAsync();
        var thing = await hub.PutThingAsync(site, "p", title: "By id");

        var found = await hub.Client.GetAsync(new Uri($"things/{thing.Id}", UriKind.Relative));
        var missing = await hub.Client.GetAsync(new Uri("things/987654321", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Contains("By id", (await ReadHtmlAsync(found)).QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Post_SignedInReader_RecordsTheClickAndRedirectsToTheStoredUrl()
    {
        var site = await hub.AddInstallationAsync();
        var link = hub.LinkFor(site, "post-1", url: "https://blog.example/posts/1");
        var reader = await hub.CreateReaderAsync();
        using var browser = await hub.SignedInClientAsync(reader);

        var page = await ReadHtmlAsync(await browser.GetAsync(new Uri(link, UriKind.Relative)));
        var response = await browser.SubmitFormAsync(link);

        Assert.NotNull(page.QuerySelector("form.flattr-confirm button[type=submit]"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri("https://blog.example/posts/1"), response.Headers.Location);
        var click = await hub.WithDbAsync(db => db.Clicks.AsNoTracking().SingleAsync(c => c.ReaderId == reader.Id));
        var thing = await hub.WithDbAsync(db => db.Things.AsNoTracking().SingleAsync(t => t.InstallationId == site.Installation.Id));
        Assert.Equal(thing.Id, click.ThingId);
        Assert.Equal(thing.CreatorId, click.CreatorId);
    }

    [Fact]
    public async Task Post_Again_RedirectsKeepsOneClickAndThePageSaysItWasFlattred()
    {
        var site = await hub.AddInstallationAsync();
        var link = hub.LinkFor(site, "post-1");
        var reader = await hub.CreateReaderAsync();
        using var browser = await hub.SignedInClientAsync(reader);
        await browser.SubmitFormAsync(link);

        var again = await hub.PostWithAntiforgeryAsync(browser, link);
        var page = await ReadHtmlAsync(await browser.GetAsync(new Uri(link, UriKind.Relative)));

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(1, await ClickCountAsync(reader.Id));
        Assert.NotNull(page.QuerySelector(".outcome--already"));
        Assert.Null(page.QuerySelector("form.flattr-confirm"));
    }

    [Fact]
    public async Task Post_LinkUrlDiffersFromTheSyncedOne_RedirectsToTheSyncedUrlOnly()
    {
        var site = await hub.AddInstallationAsync();
        await hub.PutThingAsync(site, "post-1", url: "https://blog.example/the-real-one");
        var link = hub.LinkFor(site, "post-1", url: "https://blog.example/from-an-old-link");
        var reader = await hub.CreateReaderAsync();
        using var browser = await hub.SignedInClientAsync(reader);

        var response = await browser.SubmitFormAsync(link);

        Assert.Equal(new Uri("https://blog.example/the-real-one"), response.Headers.Location);
    }

    [Fact]
    public async Task Post_NoMonthlyBudget_ShowsASettingsLinkAndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();
        var link = hub.LinkFor(site, "post-1");
        var reader = await hub.CreateReaderAsync(monthlyBudget: 0);
        using var browser = await hub.SignedInClientAsync(reader);

        var response = await browser.SubmitFormAsync(link);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        var html = await ReadHtmlAsync(response);
        Assert.NotNull(html.QuerySelector(".outcome--no-budget a[href='/Accounts/Settings']"));
        Assert.Equal(0, await ClickCountAsync(reader.Id));
    }

    [Fact]
    public async Task Post_OwnThing_ShowsAMessageAndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();
        var thing = await hub.PutThingAsync(site, "mine", creator: "me");
        var reader = await hub.CreateReaderAsync();
        await hub.ClaimDirectlyAsync(site.Installation.Id, "me", reader.Id);
        using var browser = await hub.SignedInClientAsync(reader);
        var page = $"/things/{thing.Id}";

        var view = await ReadHtmlAsync(await browser.GetAsync(new Uri(page, UriKind.Relative)));
        var response = await hub.PostWithAntiforgeryAsync(browser, page);

        Assert.NotNull(view.QuerySelector(".outcome--own"));
        Assert.Null(view.QuerySelector("form.flattr-confirm"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotNull((await ReadHtmlAsync(response)).QuerySelector(".outcome--own"));
        Assert.Equal(0, await ClickCountAsync(reader.Id));
    }

    [Fact]
    public async Task Post_ThingRetiredAfterThePageWasShown_ShowsAMessageAndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();
        var thing = await hub.PutThingAsync(site, "p");
        var reader = await hub.CreateReaderAsync();
        using var browser = await hub.SignedInClientAsync(reader);
        var page = $"/things/{thing.Id}";
        var html = await ReadHtmlAsync(await browser.GetAsync(new Uri(page, UriKind.Relative)));
        var token = html.QuerySelector("form.flattr-confirm input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        await hub.SendSignedAsync(site, HttpMethod.Delete, "/api/v1/things/p");

        var response = await browser.PostAsync(
            new Uri(page, UriKind.Relative), new FormUrlEncodedContent([new KeyValuePair<string, string>("__RequestVerificationToken", token)]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await ClickCountAsync(reader.Id));
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_Is400AndStoresNothing()
    {
        var site = await hub.AddInstallationAsync();
        var link = hub.LinkFor(site, "post-1");
        var reader = await hub.CreateReaderAsync();
        using var browser = await hub.SignedInClientAsync(reader);

        var response = await browser.PostAsync(new Uri(link, UriKind.Relative), new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await ClickCountAsync(reader.Id));
    }
}

public sealed class FlattrPageSqliteTests(FlattringSqliteFixture hub) : FlattrPageTests(hub), IClassFixture<FlattringSqliteFixture>;

public sealed class FlattrPagePostgresTests(FlattringPostgresFixture hub) : FlattrPageTests(hub), IClassFixture<FlattringPostgresFixture>;
