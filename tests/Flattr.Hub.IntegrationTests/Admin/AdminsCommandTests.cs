using System.Net;
using System.Text.Json;
using Flattr.Hub.Accounts;
using Flattr.Hub.Cli;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Flattr.Hub.IntegrationTests.Admin;

/// <summary><c>admins add</c> run against the running Hub's database and data folder, as an operator runs it beside the service.</summary>
public abstract class AdminsCommandTests(HubFixture hub)
{
    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        string[] configuration =
        [
            "--ConnectionStrings:Hub", hub.ConnectionString,
            "--Hub:DataDirectory", hub.App.Configuration["Hub:DataDirectory"]!,
            "--Hub:PublicUrl", hub.BaseAddress.AbsoluteUri,
            "--Hub:Database:Provider", hub.Kind == DatabaseKind.Postgres ? "Postgres" : "Sqlite",
        ];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await HubCommandLine.RunAsync([.. args, .. configuration], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<IList<string>> RolesAsync(string email)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
        var user = await users.FindByEmailAsync(email);
        return user is null ? [] : [.. (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task AdminsAdd_NewEmail_PrintsASetPasswordLinkThatMakesAWorkingAdmin()
    {
        var email = HubBrowser.NewEmail("first-admin");

        var (exit, output, error) = await RunAsync("admins", "add", "--email", email, "--display-name", "First Admin");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(email, json.RootElement.GetProperty("email").GetString());
        var link = new Uri(json.RootElement.GetProperty("setPasswordUrl").GetString()!);
        Assert.StartsWith(hub.BaseAddress.AbsoluteUri + "Accounts/ResetPassword?", link.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal([HubRoles.Admin, HubRoles.Reader], await RolesAsync(email));
        var user = await hub.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
        Assert.Null(user.PasswordHash);
        Assert.Equal("First Admin", user.DisplayName);
        var audit = await hub.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Subject == user.Id));
        Assert.Equal(("cli", "admin.grant"), (audit.Actor, audit.Action));

        using var browser = new HubBrowser(hub);
        var setPassword = await browser.OpenAsync(link.PathAndQuery);
        var done = await browser.SubmitAndReadAsync(setPassword, "main form", new Dictionary<string, string> { ["Input.Password"] = "first-admin-password-1" });
        var signedIn = await browser.SignInAsync(email, "first-admin-password-1");
        var admin = await browser.GetAsync("/Admin");
        using var again = new HubBrowser(hub);
        var reused = await again.SubmitAndReadAsync(await again.OpenAsync(link.PathAndQuery), "main form",
            new Dictionary<string, string> { ["Input.Password"] = "someone-elses-password-2" });

        Assert.Contains("Your password is set", done.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains(ResetPasswordModel.InvalidLinkMessage, reused.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two words@example.org")]
    [InlineData("Ann <ann@example.org>")]
    [InlineData("ann@example.org\nBcc: x@example.org")]
    [InlineData("")]
    public async Task AdminsAdd_InvalidEmail_ExitsTwoWithAMessageAndStoresNothing(string email)
    {
        var accountsBefore = await hub.WithDbAsync(db => db.Users.CountAsync());
        var auditBefore = await hub.WithDbAsync(db => db.AuditEntries.CountAsync());

        var (exit, output, error) = await RunAsync("admins", "add", "--email", email);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("is not an email address", error, StringComparison.Ordinal);
        Assert.Equal(accountsBefore, await hub.WithDbAsync(db => db.Users.CountAsync()));
        Assert.Equal(auditBefore, await hub.WithDbAsync(db => db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task AdminsAdd_WithoutEmail_ExitsTwoWithUsageOnStderr()
    {
        var (exit, output, error) = await RunAsync("admins", "add");

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("--email", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminsAdd_ExistingAccount_GrantsAdminAndKeepsItsPassword()
    {
        var email = HubBrowser.NewEmail("existing");
        using (var signUp = new HubBrowser(hub))
        {
            await signUp.SignUpAsync(email, displayName: "Existing");
        }

        var (exit, output, error) = await RunAsync("admins", "add", "--email", email.ToUpperInvariant(), "--display-name", "Ignored");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(email, json.RootElement.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("setPasswordUrl").ValueKind);
        Assert.Equal([HubRoles.Admin, HubRoles.Reader], await RolesAsync(email));
        Assert.Equal(1, await hub.WithDbAsync(db => db.Users.CountAsync(u => u.Email == email)));
        Assert.Equal("Existing", (await hub.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email))).DisplayName);
        using var browser = new HubBrowser(hub);
        await browser.SignInAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Admin")).StatusCode);
    }

    [Fact]
    public async Task AdminsAdd_Twice_IsIdempotentAndAuditedEachTime()
    {
        var email = HubBrowser.NewEmail("twice");

        var first = await RunAsync("admins", "add", "--email", email);
        var second = await RunAsync("admins", "add", "--email", email);

        Assert.Equal((0, 0), (first.Exit, second.Exit));
        // Still without a password: the second run issues a fresh link too.
        using var json = JsonDocument.Parse(second.Out);
        Assert.StartsWith(hub.BaseAddress.AbsoluteUri, json.RootElement.GetProperty("setPasswordUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal([HubRoles.Admin, HubRoles.Reader], await RolesAsync(email));
        var id = (await hub.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email))).Id;
        Assert.Equal(2, await hub.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Subject == id && a.Action == "admin.grant")));
    }
}

public sealed class AdminsCommandSqliteTests(SqliteHubFixture hub) : AdminsCommandTests(hub), IClassFixture<SqliteHubFixture>;

public sealed class AdminsCommandPostgresTests(PostgresHubFixture hub) : AdminsCommandTests(hub), IClassFixture<PostgresHubFixture>;
