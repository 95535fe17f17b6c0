using System.Net;
using System.Text;
using System.Text.Json;
using Flattr.Hub.Accounts;
using Flattr.Hub.Installations;
using Flattr.Hub.IntegrationTests.Clicks;
using Flattr.Protocol;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Flattr.Hub.IntegrationTests.Clicks.FlattringTestData;

namespace Flattr.Hub.IntegrationTests.Creators;

/// <summary>Claim links through the signed installation API, and the /claim/{token} page.</summary>
public abstract class ClaimTests(FlattringFixture hub)
{
    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static string ClaimPath(string creatorExternalId) => $"/api/v1/creators/{Uri.EscapeDataString(creatorExternalId)}/claim-link";

    private async Task<ClaimLink> ClaimLinkAsync(InstallationWithSecret site, string creatorExternalId)
    {
        var response = await hub.SendSignedAsync(site, HttpMethod.Post, ClaimPath(creatorExternalId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<ClaimLink>(await response.Content.ReadAsStringAsync(), ProtocolJson.Options)!;
    }

    /// <summary>The claim page's path for a link (the link's own origin is the Hub's public address).</summary>
    private string PagePath(ClaimLink link)
    {
        Assert.StartsWith(hub.BaseAddress.AbsoluteUri + "claim/", link.Url, StringComparison.Ordinal);
        return new Uri(link.Url).PathAndQuery;
    }

    private Task<Flattr.Hub.Creators.Creator> CreatorAsync(string installationId, string externalId) =>
        hub.WithDbAsync(db => db.Creators.AsNoTracking().SingleAsync(c => c.InstallationId == installationId && c.ExternalId == externalId));

    private async Task<bool> IsCreatorAsync(string accountId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
        return await users.IsInRoleAsync((await users.FindByIdAsync(accountId))!, HubRoles.Creator);
    }

    [Fact]
    public async Task PostClaimLink_OwnCreator_Is200WithAUrlAndExpiryAndStoresOnlyTheTokenHash()
    {
        var site = await hub.AddInstallationAsync();
        await hub.PutThingAsync(site, "p", creator: "ann");

        var link = await ClaimLinkAsync(site, "ann");

        Assert.Equal(hub.Time.GetUtcNow() + TimeSpan.FromDays(7), link.ExpiresAt);
        var token = PagePath(link)["/claim/".Length..];
        Assert.True(token.Length >= 40);
        var creator = await CreatorAsync(site.Installation.Id, "ann");
        var claim = await hub.WithDbAsync(db => db.CreatorClaims.AsNoTracking().SingleAsync(c => c.CreatorId == creator.Id));
        Assert.Equal(ApiTokens.Hash(token), claim.TokenHash);
        Assert.DoesNotContain(token, claim.TokenHash, StringComparison.Ordinal);
        Assert.Null(claim.UsedAt);
    }

    [Fact]
    public async Task PostClaimLink_CreatorIdWithSlashAndUnicode_IsFound()
    {
        var site = await hub.AddInstallationAsync();
        await hub.PutThingAsync(site, "p", creator: "team/Zoë");

        var response = await hub.SendSignedAsync(site, HttpMethod.Post, ClaimPath("team/Zoë"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PostClaimLink_AnotherInstallationsOrAnUnknownCreator_Is404AndIssuesNothing()
    {
        var owner = await hub.AddInstallationAsync("Owner");
        var other = await hub.AddInstallationAsync("Other");
        await hub.PutThingAsync(owner, "p", creator: "ann");

        var foreign = await hub.SendSignedAsync(other, HttpMethod.Post, ClaimPath("ann"));
        var unknown = await hub.SendSignedAsync(owner, HttpMethod.Post, ClaimPath("nobody"));

        await AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        var creator = await CreatorAsync(owner.Installation.Id, "ann");
        Assert.Equal(0, await hub.WithDbAsync(db => db.CreatorClaims.CountAsync(c => c.CreatorId == creator.Id)));
    }

    [Fact]
    public async Task PostClaimLink_BadSignature_Is401AndIssuesNothing()
    {
        var site = await hub.AddInstallationAsync();
        await hub.PutThingAsync(site, "p", creator: "ann");

        var response = await hub.SendSignedAsync(site.Installation.Id, "fs_not-the-secret", HttpMethod.Post, ClaimPath("ann"), null);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        var creator = await CreatorAsync(site.Installation.Id, "ann");
        Assert.Equal(0, await hub.WithDbAsync(db => db.CreatorClaims.CountAsync(c => c.CreatorId == creator.Id)));
    }

    [Fact]
    public async Task GetClaimPage_Anonymous_ShowsTheCreatorAndSignInLinks()
    {
        var site = await hub.AddInstallationAsync("Ann's blog", "https://ann.example/");
        await hub.PutThingAsync(site, "p", creator: "ann");
        var path = PagePath(await ClaimLinkAsync(site, "ann"));

        var response = await hub.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await ReadHtmlAsync(response);
        Assert.Equal("Ann Author", html.QuerySelector(".creator")!.TextContent);
        Assert.Equal("Ann's blog", html.QuerySelector(".installation")!.TextContent);
        Assert.NotNull(html.QuerySelector($"a[href='/Accounts/SignIn?returnUrl={Uri.EscapeDataString(path)}']"));
        Assert.NotNull(html.QuerySelector($"a[href='/Accounts/SignUp?returnUrl={Uri.EscapeDataString(path)}']"));
        Assert.Null(html.QuerySelector("main form"));
    }

    [Fact]
    public async Task GetClaimPage_UnknownToken_Is404WithAMessage()
    {
        var response = await hub.Client.GetAsync(new Uri("claim/not-a-token", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("not valid", (await ReadHtmlAsync(response)).QuerySelector(".problem")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostClaimPage_SignedIn_ClaimsTheCreatorGivesTheRoleAndUsesTheLink()
    {
        var site = await hub.AddInstallationAsync();
        await hub.PutThingAsync(site, "p", creator: "ann");
        var path = PagePath(await ClaimLinkAsync(site, "ann"));
        var person = await hub.CreateReaderAsync();
        using var browser = await hub.SignedInClientAsync(person);
        var before = await browser.GetAsync(new Uri("Creators/Things", UriKind.Relative));

        var response = await browser.SubmitFormAsync(path);
        var after = await browser.GetAsync(new Uri("Creators/Things", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.StartsWith("/Accounts/AccessDenied", before.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await ReadHtmlAsync(response)).QuerySelector(".outcome--claimed"));
        var creator = await CreatorAsync(site.Installation.Id, "ann");
        Assert.Equal(person.Id, creator.AccountId);
        Assert.Equal(hub.Time.GetUtcNow(), creator.ClaimedAt);
        Assert.True(await IsCreatorAsync(person.Id));
        var claim = await hub.WithDbAsync(db => db.CreatorClaims.AsNoTracking().SingleAsync(c => c.CreatorId == creator.Id));
        Assert.Equal(person.Id, claim.UsedByAccountId);
        Assert.NotNull(claim.UsedAt);
        // The sign-in was refreshed: the same cookie now carries the creator role.
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task PostClaimPage_AnonymousWithoutAntiforgeryToken_Is400AndChangesNothing()
    {
        var site = await hub.AddInstallationAsync();
        await hub.PutThingAsync(site, "p", creator: "ann");
        var path = PagePath(await ClaimLinkAsync(site, "ann"));
        using var anonymous = hub.NewBrowserlessClient();

        var response = await anonymous.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null((await CreatorAsync(site.Installation.Id, "ann")).AccountId);
    }

    [Fact]
    public async Task PostClaimPage_UsedLink_SaysSoAndChangesNothing()
    {
        var site = await hub.AddInstallationAsync();
        await hub.PutThingAsync(site, "p", creator: "ann");
        var path = PagePath(await ClaimLinkAsync(site, "ann"));
        var first = await hub.CreateReaderAsync();
        var second = await hub.CreateReaderAsync();
        using var firstBrowser = await hub.SignedInClientAsync(first);
        using var secondBrowser = await hub.SignedInClientAsync(second);
        await firstBrowser.SubmitFormAsync(path);

        var view = await secondBrowser.GetAsync(new Uri(path, UriKind.Relative));
        var post = await hub.PostWithAntiforgeryAsync(secondBrowser, path);

        Assert.Equal(HttpStatusCode.Gone, view.StatusCode);
        Assert.Contains("already been used", (await ReadHtmlAsync(view)).QuerySelector(".problem")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        Assert.Equal(first.Id, (await CreatorAsync(site.Installation.Id, "ann")).AccountId);
        Assert.False(await IsCreatorAsync(second.Id));
    }

    [Fact]
    public async Task PostClaimPage_CreatorClaimedByAnotherAccount_SaysSoAndLeavesTheNewLinkUnused()
    {
        var site = await hub.AddInstallationAsync();
        await hub.PutThingAsync(site, "p", creator: "ann");
        var owner = await hub.CreateReaderAsync();
        await hub.ClaimDirectlyAsync(site.Installation.Id, "ann", owner.Id);
        var path = PagePath(await ClaimLinkAsync(site, "ann"));
        var other = await hub.CreateReaderAsync();
        using var browser = await hub.SignedInClientAsync(other);

        var response = await hub.PostWithAntiforgeryAsync(browser, path);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("claimed by another account", (await ReadHtmlAsync(response)).QuerySelector(".problem")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(owner.Id, (await CreatorAsync(site.Installation.Id, "ann")).AccountId);
        var hash = ApiTokens.Hash(path["/claim/".Length..]);
        Assert.Null(await hub.WithDbAsync(db => db.CreatorClaims.Where(c => c.TokenHash == hash).Select(c => c.UsedAt).SingleAsync()));
    }

    [Fact]
    public async Task PostClaimPage_ExpiredLink_SaysSoAndChangesNothing()
    {
        var site = await hub.AddInstallationAsync();
        await hub.PutThingAsync(site, "p", creator: "ann");
        var path = PagePath(await ClaimLinkAsync(site, "ann"));
        var person = await hub.CreateReaderAsync();
        hub.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        using var browser = await hub.SignedInClientAsync(person);

        var response = await hub.PostWithAntiforgeryAsync(browser, path);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("expired", (await ReadHtmlAsync(response)).QuerySelector(".problem")!.TextContent, StringComparison.Ordinal);
        Assert.Null((await CreatorAsync(site.Installation.Id, "ann")).AccountId);
        Assert.False(await IsCreatorAsync(person.Id));
    }

    [Fact]
    public async Task PostClaimPage_OnePerson_ClaimsCreatorsOnTwoInstallations()
    {
        var blog = await hub.AddInstallationAsync("Blog");
        var photos = await hub.AddInstallationAsync("Photos");
        await hub.PutThingAsync(blog, "p", creator: "ann");
        await hub.PutThingAsync(photos, "p", creator: "ann-photos");
        var person = await hub.CreateReaderAsync();
        using var browser = await hub.SignedInClientAsync(person);

        var first = await browser.SubmitFormAsync(PagePath(await ClaimLinkAsync(blog, "ann")));
        var second = await browser.SubmitFormAsync(PagePath(await ClaimLinkAsync(photos, "ann-photos")));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(person.Id, (await CreatorAsync(blog.Installation.Id, "ann")).AccountId);
        Assert.Equal(person.Id, (await CreatorAsync(photos.Installation.Id, "ann-photos")).AccountId);
    }

    [Fact]
    public async Task PostClaimLink_EmptyBodyIsSigned_AndTheBodyIsIgnored()
    {
        var site = await hub.AddInstallationAsync();
        await hub.PutThingAsync(site, "p", creator: "ann");

        var response = await hub.SendSignedAsync(site.Installation.Id, site.Secret, HttpMethod.Post, ClaimPath("ann"), Encoding.UTF8.GetBytes("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class ClaimSqliteTests(FlattringSqliteFixture hub) : ClaimTests(hub), IClassFixture<FlattringSqliteFixture>;

public sealed class ClaimPostgresTests(FlattringPostgresFixture hub) : ClaimTests(hub), IClassFixture<FlattringPostgresFixture>;
