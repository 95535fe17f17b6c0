using System.Net;
using System.Text.Json;
using Flattr.Hub.Accounts;
using Flattr.Hub.Clicks;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Flattr.Hub.Installations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Flattr.Hub.IntegrationTests.Admin;

/// <summary>The admin pages through real HTTP, as a browser without JavaScript uses them, on each database.</summary>
public abstract class AdminPagesTests(HubFixture hub)
{
    public static readonly TheoryData<string> AdminPages =
        ["/Admin", "/Admin/Installations", "/Admin/Things", "/Admin/Creators", "/Admin/Accounts", "/Admin/Payouts", "/Admin/Funds", "/Admin/Audit"];

    private static string ThingJson(string title, string url, string creator, string? creatorName = null, string? externalId = null) =>
        JsonSerializer.Serialize(new { externalId, url, title, category = "text", creator = new { externalId = creator, name = creatorName } });

    private async Task PutThingAsync(InstallationWithSecret site, string externalId, string title, string url, string creator = "author", string? creatorName = null)
    {
        var response = await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/" + Uri.EscapeDataString(externalId), ThingJson(title, url, creator, creatorName));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<List<AuditEntryView>> AuditAsync(string subject) =>
        hub.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Subject == subject).OrderBy(a => a.Id)
            .Select(a => new AuditEntryView(a.Actor, a.Action)).ToListAsync());

    private static IReadOnlyList<string> Column(HubPage page, string table, int column) =>
        [.. page.Document.QuerySelectorAll($"{table} tbody tr").Select(r => r.QuerySelectorAll("td")[column].TextContent.Trim())];

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task AdminPage_Anonymous_RedirectsToSignInWithReturnUrl(string path)
    {
        using var browser = new HubBrowser(hub);

        var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Accounts/SignIn?ReturnUrl=" + Uri.EscapeDataString(path), response.Headers.Location?.PathAndQuery);
    }

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task AdminPage_Reader_IsDenied(string path)
    {
        using var browser = new HubBrowser(hub);
        await browser.SignUpAsync(HubBrowser.NewEmail());

        var response = await browser.GetAsync(path);
        var denied = await HubBrowser.ReadAsync(await browser.FollowAsync(response));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Accounts/AccessDenied", response.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
    }

    [Fact]
    public async Task AdminNav_LinksEveryAdminPage_AndTheLayoutLinksTheDashboardForAdminsOnly()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        using var reader = new HubBrowser(hub);
        await reader.SignUpAsync(HubBrowser.NewEmail());

        var dashboard = await admin.OpenAsync("/Admin");
        var readerHome = await reader.OpenAsync("/");

        var links = dashboard.Document.QuerySelectorAll("nav[aria-label=Admin] a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/Admin", "/Admin/Installations", "/Admin/Things", "/Admin/Creators", "/Admin/Accounts", "/Admin/Payouts", "/Admin/Funds", "/Admin/Audit"], links);
        Assert.NotNull(dashboard.Find("header a[href='/Admin']"));
        Assert.Null(readerHome.Find("header a[href='/Admin']"));
    }

    [Fact]
    public async Task AdminForm_PostWithoutAntiforgeryToken_Is400AndChangesNothing()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var page = await admin.OpenAsync("/Admin/Installations");
        var before = await hub.WithDbAsync(db => db.Installations.CountAsync());
        var auditBefore = await hub.WithDbAsync(db => db.AuditEntries.CountAsync());

        // The admin's own session cookie, but a form that did not come from the Hub (no antiforgery token).
        using var forged = new FormUrlEncodedContent([new("Input.Name", "Forged"), new("Input.Url", "https://forged.example/")]);
        var response = await admin.Http.PostAsync(new Uri(hub.BaseAddress, "Admin/Installations?handler=Add"), forged);
        var withToken = await admin.SubmitAsync(page, "#add-installation", new Dictionary<string, string>
        {
            ["Input.Name"] = "Forged", ["Input.Url"] = "https://forged.example/", ["__RequestVerificationToken"] = "not-the-token",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withToken.StatusCode);
        Assert.Equal(before, await hub.WithDbAsync(db => db.Installations.CountAsync()));
        Assert.Equal(auditBefore, await hub.WithDbAsync(db => db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task Installations_AddThroughTheUi_ShowsTheSecretOnceAndTheInstallationSignsRequests()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var page = await admin.OpenAsync("/Admin/Installations");

        var result = await admin.SubmitAndReadAsync(page, "#add-installation", new Dictionary<string, string>
        {
            ["Input.Name"] = "Photo blog", ["Input.Url"] = "https://photos.example/",
        });
        var id = result.Get("#installation-id").TextContent.Trim();
        var secret = result.Get("#installation-secret").TextContent.Trim();
        var signed = await hub.SendSignedAsync(id, secret, HttpMethod.Get, "/api/v1/installation", null);
        var later = await admin.OpenAsync("/Admin/Installations");

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("shown only this once", result.Get("#issued").TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Contains("\"Photo blog\"", await signed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, later.Document.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.Null(later.Find("#issued"));
        Assert.NotNull(later.Find($"tr[data-installation-id='{id}']"));
        Assert.Equal([new(admin.AccountId, "installation.add")], await AuditAsync(id));
    }

    [Fact]
    public async Task Installations_AddWithBadInput_ShowsTheErrorsAndStoresNothing()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var page = await admin.OpenAsync("/Admin/Installations");
        var before = await hub.WithDbAsync(db => db.Installations.CountAsync());

        var result = await admin.SubmitAndReadAsync(page, "#add-installation", new Dictionary<string, string>
        {
            ["Input.Name"] = "Bad", ["Input.Url"] = "ftp://files.example/",
        });

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("absolute http or https", result.Get("[data-valmsg-for='Input.Url']").TextContent, StringComparison.Ordinal);
        Assert.Null(result.Find("#issued"));
        Assert.Equal(before, await hub.WithDbAsync(db => db.Installations.CountAsync()));
    }

    [Fact]
    public async Task Installations_RotateAndDisableThroughTheUi_TakeEffectAndAreAudited()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var site = await hub.AddInstallationAsync("Rotating site");
        var id = site.Installation.Id;
        var page = await admin.OpenAsync("/Admin/Installations");

        var rotated = await admin.SubmitAndReadAsync(page, $"tr[data-installation-id='{id}'] form[action*='handler=Rotate']");
        var newSecret = rotated.Get("#installation-secret").TextContent.Trim();
        var oldSecretAnswer = await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/installation");
        var newSecretAnswer = await hub.SendSignedAsync(id, newSecret, HttpMethod.Get, "/api/v1/installation", null);
        var disabled = await admin.SubmitAndReadAsync(await admin.OpenAsync("/Admin/Installations"), $"tr[data-installation-id='{id}'] form[action*='handler=SetDisabled']");
        var whileDisabled = await hub.SendSignedAsync(id, newSecret, HttpMethod.Get, "/api/v1/installation", null);
        var enabled = await admin.SubmitAndReadAsync(disabled, $"tr[data-installation-id='{id}'] form[action*='handler=SetDisabled']");
        var afterEnable = await hub.SendSignedAsync(id, newSecret, HttpMethod.Get, "/api/v1/installation", null);

        Assert.Equal(id, rotated.Get("#installation-id").TextContent.Trim());
        Assert.NotEqual(site.Secret, newSecret);
        Assert.Contains("old secret has stopped working", rotated.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, oldSecretAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newSecretAnswer.StatusCode);
        Assert.Contains("is disabled", disabled.Get("#status").TextContent, StringComparison.Ordinal);
        Assert.Contains("disabled since", disabled.Get($"tr[data-installation-id='{id}']").TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, whileDisabled.StatusCode);
        Assert.Contains("enabled again", enabled.Get("#status").TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, afterEnable.StatusCode);
        Assert.Equal(
            [new("test", "installation.add"), new(admin.AccountId, "installation.rotate-secret"), new(admin.AccountId, "installation.disable"), new(admin.AccountId, "installation.enable")],
            await AuditAsync(id));
        var audit = await admin.OpenAsync("/Admin/Audit");
        Assert.Equal("installation.enable", audit.Get("#audit tbody tr").GetAttribute("data-action"));
        Assert.Equal(admin.AccountId, audit.Get("#audit tbody tr").GetAttribute("data-actor"));
    }

    [Fact]
    public async Task Things_SearchAndFilter_FindByTitleUrlOrExternalIdWithinAnInstallation()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var marker = Guid.NewGuid().ToString("N")[..8];
        var blog = await hub.AddInstallationAsync("Blog " + marker);
        var podcast = await hub.AddInstallationAsync("Podcast " + marker);
        await PutThingAsync(blog, $"post-{marker}-1", $"Gardening {marker} in October", $"https://blog.example/{marker}/garden");
        await PutThingAsync(blog, $"post-{marker}-2", "Winter tyres", $"https://blog.example/{marker}/tyres");
        await PutThingAsync(podcast, $"ep-{marker}-100%_off", "Episode about GARDENING", $"https://pod.example/{marker}/1");

        var byTitle = await admin.OpenAsync($"/Admin/Things?q=gardening+{marker}");
        var byUrl = await admin.OpenAsync($"/Admin/Things?q={marker}/TYRES");
        var byExternalId = await admin.OpenAsync($"/Admin/Things?q=100%25_off");
        var wildcardIsLiteral = await admin.OpenAsync($"/Admin/Things?q={marker}-1%25");
        var form = await admin.OpenAsync("/Admin/Things");
        var filtered = await admin.SubmitAndReadAsync(form, "main form[role=search]", new Dictionary<string, string>
        {
            ["q"] = "gardening", ["installation"] = podcast.Installation.Id,
        });

        Assert.Equal([$"Gardening {marker} in October"], Column(byTitle, "#things", 0));
        Assert.Equal(["Winter tyres"], Column(byUrl, "#things", 0));
        Assert.Equal(["Episode about GARDENING"], Column(byExternalId, "#things", 0));
        Assert.Empty(Column(wildcardIsLiteral, "#things", 0));
        Assert.Equal(["Episode about GARDENING"], Column(filtered, "#things", 0));
        Assert.Equal("Podcast " + marker, Column(filtered, "#things", 2).Single());
    }

    [Fact]
    public async Task Things_ManyResults_ArePaged()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var site = await hub.AddInstallationAsync("Paged");
        var items = string.Join(",", Enumerable.Range(0, 30).Select(i =>
            ThingJson($"Paged {i}", $"https://paged.example/{i}", "p", externalId: $"paged-{i}")));
        var batch = await hub.SendSignedAsync(site, HttpMethod.Post, "/api/v1/things:batch", $"{{\"things\":[{items}]}}");
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);

        var first = await admin.OpenAsync($"/Admin/Things?installation={site.Installation.Id}");
        var second = await admin.OpenAsync(new Uri(first.Address, first.Get("a[rel=next]").GetAttribute("href")!).PathAndQuery);

        Assert.Equal(25, Column(first, "#things", 0).Count);
        Assert.Equal(5, Column(second, "#things", 0).Count);
        Assert.Contains("Page 2 of 2 (30 in all)", second.Text, StringComparison.Ordinal);
        Assert.Null(second.Find("a[rel=next]"));
        Assert.Empty(Column(first, "#things", 0).Intersect(Column(second, "#things", 0)));
    }

    [Fact]
    public async Task Things_Retire_RetiresTheThingKeepsTheSearchAndIsAudited()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var site = await hub.AddInstallationAsync("Retiring");
        var marker = Guid.NewGuid().ToString("N")[..8];
        await PutThingAsync(site, "to-retire", $"Old news {marker}", "https://retiring.example/old");
        var thing = await hub.WithDbAsync(db => db.Things.AsNoTracking().SingleAsync(t => t.InstallationId == site.Installation.Id));
        var search = await admin.OpenAsync($"/Admin/Things?q={marker}");

        var retired = await admin.SubmitAndReadAsync(search, $"tr[data-thing-id='{thing.Id}'] form");
        var api = await hub.SendSignedAsync(site, HttpMethod.Get, "/api/v1/things/to-retire");

        Assert.Equal($"/Admin/Things?q={marker}&p=1", retired.Address.PathAndQuery);
        Assert.Contains("is retired", retired.Get("#status").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("retired", Column(retired, "#things", 5).Single(), StringComparison.Ordinal);
        Assert.Equal(hub.Time.GetUtcNow(), (await hub.WithDbAsync(db => db.Things.AsNoTracking().SingleAsync(t => t.Id == thing.Id))).RetiredAt);
        Assert.Contains("\"retired\":true", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal([new(admin.AccountId, "thing.retire")], await AuditAsync(thing.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Creators_Search_ShowsInstallationAndClaimingAccount()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var marker = Guid.NewGuid().ToString("N")[..8];
        var site = await hub.AddInstallationAsync("Creators " + marker);
        await PutThingAsync(site, "c1", "One", "https://creators.example/1", creator: $"bob-{marker}", creatorName: "Bob Builder");
        await PutThingAsync(site, "c2", "Two", "https://creators.example/2", creator: $"cat-{marker}", creatorName: "Cat Painter");
        var owner = HubBrowser.NewEmail("bob");
        using (var signUp = new HubBrowser(hub))
        {
            await signUp.SignUpAsync(owner);
        }

        await hub.WithDbAsync(async db =>
        {
            var account = await db.Users.SingleAsync(u => u.Email == owner);
            var bob = await db.Creators.SingleAsync(c => c.ExternalId == $"bob-{marker}");
            bob.AccountId = account.Id;
            bob.ClaimedAt = hub.Time.GetUtcNow();
            return await db.SaveChangesAsync();
        });

        var all = await admin.OpenAsync($"/Admin/Creators?installation={site.Installation.Id}");
        var byName = await admin.OpenAsync($"/Admin/Creators?q=PAINTER&installation={site.Installation.Id}");
        var byEmail = await admin.OpenAsync($"/Admin/Creators?q={Uri.EscapeDataString(owner)}");
        var claimed = await admin.OpenAsync($"/Admin/Creators?installation={site.Installation.Id}&claimed=claimed");

        Assert.Equal(["Bob Builder", "Cat Painter"], Column(all, "#creators", 0));
        Assert.Equal(["Creators " + marker, "Creators " + marker], Column(all, "#creators", 2));
        Assert.Equal([owner, "not claimed"], Column(all, "#creators", 3));
        Assert.Equal(["Cat Painter"], Column(byName, "#creators", 0));
        Assert.Equal(["Bob Builder"], Column(byEmail, "#creators", 0));
        Assert.Equal(["Bob Builder"], Column(claimed, "#creators", 0));
    }

    [Fact]
    public async Task Accounts_LockAndUnlock_AreEnforcedAtSignInAndAudited()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var email = HubBrowser.NewEmail("lockable");
        using var reader = new HubBrowser(hub);
        await reader.SignUpAsync(email);
        var id = (await hub.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email))).Id;
        var search = await admin.OpenAsync($"/Admin/Accounts?q={Uri.EscapeDataString(email.ToUpperInvariant())}");

        var locked = await admin.SubmitAndReadAsync(search, $"tr[data-account-id='{id}'] form[action*='handler=Lock']");
        using var lockedOut = new HubBrowser(hub);
        var refused = await HubBrowser.ReadAsync(await lockedOut.SignInAsync(email));
        var unlocked = await admin.SubmitAndReadAsync(locked, $"tr[data-account-id='{id}'] form[action*='handler=Unlock']");
        using var back = new HubBrowser(hub);
        var allowed = await back.SignInAsync(email);

        Assert.Equal([email], Column(search, "#accounts", 0));
        Assert.Equal("locked by an admin", locked.Get($"tr[data-account-id='{id}'] .state").TextContent);
        Assert.Contains(SignInModel.LockedByAdminMessage, refused.Get("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.False(await lockedOut.IsSignedInAsync());
        Assert.Equal("active", unlocked.Get($"tr[data-account-id='{id}'] .state").TextContent);
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        Assert.Equal([new(admin.AccountId, "account.lock"), new(admin.AccountId, "account.unlock")], await AuditAsync(id));
    }

    [Fact]
    public async Task Accounts_GrantAndRevokeAdmin_ChangeTheRoleButNeverTheActorsOwn()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var email = HubBrowser.NewEmail("promoted");
        using (var signUp = new HubBrowser(hub))
        {
            await signUp.SignUpAsync(email);
        }

        var id = (await hub.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email))).Id;
        var page = await admin.OpenAsync($"/Admin/Accounts?q={Uri.EscapeDataString(email)}");

        var granted = await admin.SubmitAndReadAsync(page, $"tr[data-account-id='{id}'] form[action*='handler=GrantAdmin']");
        using var promoted = new HubBrowser(hub);
        await promoted.SignInAsync(email);
        var promotedSeesAdmin = await promoted.GetAsync("/Admin");
        var revoked = await admin.SubmitAndReadAsync(granted, $"tr[data-account-id='{id}'] form[action*='handler=RevokeAdmin']");
        var own = await admin.OpenAsync($"/Admin/Accounts?q={Uri.EscapeDataString(admin.Email)}");
        // The page offers no button for one's own account; a hand-made POST (with a valid token) is refused all the same.
        var token = own.Get("input[name=__RequestVerificationToken]").GetAttribute("value")!;
        using var selfRevoke = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
        var refused = await HubBrowser.ReadAsync(await admin.FollowAsync(
            await admin.Http.PostAsync(new Uri(hub.BaseAddress, $"Admin/Accounts?handler=RevokeAdmin&id={admin.AccountId}"), selfRevoke)));

        Assert.Contains(HubRoles.Admin, granted.Get($"tr[data-account-id='{id}'] .roles").TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, promotedSeesAdmin.StatusCode);
        Assert.DoesNotContain(HubRoles.Admin, revoked.Get($"tr[data-account-id='{id}'] .roles").TextContent, StringComparison.Ordinal);
        Assert.Null(own.Find($"tr[data-account-id='{admin.AccountId}'] form"));
        Assert.Contains("cannot remove your own admin role", refused.Get("#error").TextContent, StringComparison.Ordinal);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
        Assert.True(await users.IsInRoleAsync((await users.FindByIdAsync(admin.AccountId))!, HubRoles.Admin));
        Assert.False(await users.IsInRoleAsync((await users.FindByIdAsync(id))!, HubRoles.Admin));
        Assert.Equal([new(admin.AccountId, "admin.grant"), new(admin.AccountId, "admin.revoke")], await AuditAsync(id));
        Assert.Empty(await AuditAsync(admin.AccountId));
    }

    [Fact]
    public async Task Audit_ListsEntriesNewestFirstAndPaged()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var before = await hub.WithDbAsync(db => db.AuditEntries.CountAsync());
        var page = await admin.OpenAsync("/Admin/Installations");
        for (var i = 0; i < 26; i++)
        {
            hub.Time.Advance(TimeSpan.FromSeconds(1));
            page = await admin.SubmitAndReadAsync(page, "#add-installation", new Dictionary<string, string>
            {
                ["Input.Name"] = $"Audited {i:D2}", ["Input.Url"] = $"https://audited-{i}.example/",
            });
        }

        var first = await admin.OpenAsync("/Admin/Audit");
        var second = await admin.OpenAsync("/Admin/Audit?p=2");

        var details = Column(first, "#audit", 4);
        Assert.StartsWith("Audited 25 ", details[0], StringComparison.Ordinal);
        Assert.StartsWith("Audited 01 ", details[24], StringComparison.Ordinal);
        Assert.Equal(admin.Email, Column(first, "#audit", 1)[0]);
        Assert.StartsWith("Audited 00 ", Column(second, "#audit", 4)[0], StringComparison.Ordinal);
        Assert.Contains($"({before + 26} in all)", first.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ShowsThisPeriodsFigures()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        static int Figure(HubPage page, string name) =>
            int.Parse(page.Get($"[data-figure='{name}'] strong").TextContent, System.Globalization.CultureInfo.InvariantCulture);
        var before = await admin.OpenAsync("/Admin");

        var site = await hub.AddInstallationAsync("Dashboard");
        await PutThingAsync(site, "d1", "Counted", "https://dash.example/1", creator: "dash-author");
        await PutThingAsync(site, "d2", "Also counted", "https://dash.example/2", creator: "dash-author");
        var reader = HubBrowser.NewEmail();
        using (var signUp = new HubBrowser(hub))
        {
            await signUp.SignUpAsync(reader);
        }

        await hub.WithDbAsync(async db =>
        {
            var account = await db.Users.SingleAsync(u => u.Email == reader);
            account.MonthlyBudget = 500;
            var things = await db.Things.Where(t => t.InstallationId == site.Installation.Id).OrderBy(t => t.Id).ToListAsync();
            var now = hub.Time.GetUtcNow();
            var period = Period.Containing(now);
            db.Clicks.Add(new Click { ReaderId = account.Id, ThingId = things[0].Id, CreatorId = things[0].CreatorId, Period = Click.PeriodKey(period), ClickedAt = now });
            db.Clicks.Add(new Click { ReaderId = account.Id, ThingId = things[1].Id, CreatorId = things[1].CreatorId, Period = Click.PeriodKey(period), ClickedAt = now });
            // Last month's click is not this period's.
            db.Clicks.Add(new Click
            {
                ReaderId = account.Id, ThingId = things[0].Id, CreatorId = things[0].CreatorId, Period = Click.PeriodKey(period.Previous), ClickedAt = now.AddMonths(-1),
            });
            return await db.SaveChangesAsync();
        });
        var after = await admin.OpenAsync("/Admin");

        Assert.Contains(Period.Containing(hub.Time.GetUtcNow()).ToString(), after.Get("h2").TextContent, StringComparison.Ordinal);
        Assert.Equal(Figure(before, "flattrs") + 2, Figure(after, "flattrs"));
        Assert.Equal(Figure(before, "things") + 2, Figure(after, "things"));
        Assert.Equal(Figure(before, "creators") + 1, Figure(after, "creators"));
        Assert.Equal(Figure(before, "claimed-creators"), Figure(after, "claimed-creators"));
        Assert.Equal(Figure(before, "readers-with-budget") + 1, Figure(after, "readers-with-budget"));
        Assert.Equal(Figure(before, "installations") + 1, Figure(after, "installations"));
    }
}

public sealed class AdminPagesSqliteTests(SqliteHubFixture hub) : AdminPagesTests(hub), IClassFixture<SqliteHubFixture>;

public sealed class AdminPagesPostgresTests(PostgresHubFixture hub) : AdminPagesTests(hub), IClassFixture<PostgresHubFixture>;
