using System.Net;
using System.Text.RegularExpressions;
using Flattr.Hub.Accounts;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Flattr.Hub.IntegrationTests.Accounts;

/// <summary>The account pages through real HTTP, as a browser without JavaScript uses them, on each database.</summary>
public abstract partial class AccountPagesTests(HubFixture hub)
{
    private Task<HubUser?> FindUserAsync(string email)
    {
        var normalized = email.ToUpperInvariant();
        return hub.WithDbAsync(db => db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized));
    }

    private string MailFolder => Path.Combine(hub.App.Configuration["Hub:DataDirectory"]!, "mail");

    private string[] MailsTo(string email) =>
        Directory.Exists(MailFolder)
            ? [.. Directory.GetFiles(MailFolder, "*.eml").Select(File.ReadAllText).Where(m => m.Contains($"To: {email}\r\n", StringComparison.Ordinal))]
            : [];

    [GeneratedRegex(@"http\S+/Accounts/ResetPassword\?\S+")]
    private static partial Regex ResetLink();

    [Fact]
    public async Task SignUp_NewAccount_IsSignedInAsAReader()
    {
        using var browser = new HubBrowser(hub);
        var email = HubBrowser.NewEmail();

        var response = await browser.SignUpAsync(email, displayName: "Ann");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        var settings = await browser.OpenAsync("/Accounts/Settings");
        Assert.Equal(HttpStatusCode.OK, settings.Status);
        Assert.Contains(email, settings.Text, StringComparison.Ordinal);
        var user = await FindUserAsync(email);
        Assert.NotNull(user);
        Assert.Equal("Ann", user.DisplayName);
        Assert.Equal(0, user.MonthlyBudget);
        Assert.Equal(hub.Time.GetUtcNow(), user.CreatedAt);
        await using var scope = hub.App.Services.CreateAsyncScope();
        Assert.Equal([HubRoles.Reader], await scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>().GetRolesAsync(user));
    }

    [Fact]
    public async Task SignUp_TakenEmailOrWeakPassword_IsRefusedWithTheReason()
    {
        var email = HubBrowser.NewEmail();
        using (var first = new HubBrowser(hub))
        {
            await first.SignUpAsync(email);
        }

        using var browser = new HubBrowser(hub);
        var taken = await HubBrowser.ReadAsync(await browser.SignUpAsync(email.ToUpperInvariant()));
        var weak = await HubBrowser.ReadAsync(await browser.SignUpAsync(HubBrowser.NewEmail(), password: "abcdefghij"));

        Assert.Equal(HttpStatusCode.OK, taken.Status);
        Assert.Contains("is already taken", taken.Text, StringComparison.Ordinal);
        Assert.Contains("digit", weak.Get("[data-valmsg-for='Input.Password']").TextContent, StringComparison.Ordinal);
        Assert.False(await browser.IsSignedInAsync());
        var normalized = email.ToUpperInvariant();
        Assert.Equal(1, await hub.WithDbAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == normalized)));
    }

    [Fact]
    public async Task Settings_Anonymous_RedirectsToSignInWithReturnUrl()
    {
        using var browser = new HubBrowser(hub);

        var response = await browser.GetAsync("/Accounts/Settings");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Accounts/SignIn?ReturnUrl=%2FAccounts%2FSettings", response.Headers.Location?.PathAndQuery);
    }

    [Theory]
    [InlineData("1.99", "at least 2.00 EUR")]
    [InlineData("0.01", "at least 2.00 EUR")]
    [InlineData("5.001", "at most 2 decimals")]
    [InlineData("-5.00", "at most 2 decimals")]
    [InlineData("five", "at most 2 decimals")]
    [InlineData("5,00", "at most 2 decimals")]
    public async Task Settings_BudgetBelowMinimumOrNotAnAmount_IsRefusedAndNothingIsStored(string budget, string message)
    {
        using var browser = new HubBrowser(hub);
        var email = HubBrowser.NewEmail();
        await browser.SignUpAsync(email, displayName: "Before");
        var settings = await browser.OpenAsync("/Accounts/Settings");

        var page = await browser.SubmitAndReadAsync(settings, "main form", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "After", ["Input.MonthlyBudget"] = budget,
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(message, page.Get("[data-valmsg-for='Input.MonthlyBudget']").TextContent, StringComparison.Ordinal);
        Assert.Null(page.Find(".notice[role=status]"));
        var user = await FindUserAsync(email);
        Assert.Equal(0, user!.MonthlyBudget);
        Assert.Equal("Before", user.DisplayName);
    }

    [Theory]
    [InlineData("5.00", 500)]
    [InlineData("2", 200)]
    [InlineData(" 12.5 ", 1250)]
    [InlineData("0", 0)]
    [InlineData("", 0)]
    public async Task Settings_ValidBudget_IsStoredInMinorUnits(string budget, long minorUnits)
    {
        using var browser = new HubBrowser(hub);
        var email = HubBrowser.NewEmail();
        await browser.SignUpAsync(email);
        var normalized = email.ToUpperInvariant();
        await hub.WithDbAsync(async db =>
        {
            // Start from some other budget, so a stored 0 is the form's doing.
            await db.Users.Where(u => u.NormalizedEmail == normalized).ExecuteUpdateAsync(s => s.SetProperty(u => u.MonthlyBudget, 777));
            return 0;
        });
        var settings = await browser.OpenAsync("/Accounts/Settings");

        var page = await browser.SubmitAndReadAsync(settings, "main form", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "New name", ["Input.MonthlyBudget"] = budget,
        });

        Assert.Contains("saved", page.Get(".notice[role=status]").TextContent, StringComparison.Ordinal);
        var user = await FindUserAsync(email);
        Assert.Equal(minorUnits, user!.MonthlyBudget);
        Assert.Equal("New name", user.DisplayName);
        var reopened = await browser.OpenAsync("/Accounts/Settings");
        Assert.Equal(BudgetText.Format(minorUnits, Currency.Eur), reopened.Get("#Input_MonthlyBudget").GetAttribute("value"));
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccountEvenForTheRightPassword()
    {
        var email = HubBrowser.NewEmail();
        using (var owner = new HubBrowser(hub))
        {
            await owner.SignUpAsync(email);
        }

        using var browser = new HubBrowser(hub);
        var attempts = new List<HubPage>();
        for (var i = 0; i < 5; i++)
        {
            attempts.Add(await HubBrowser.ReadAsync(await browser.SignInAsync(email, "wrong-password-1")));
        }

        var right = await HubBrowser.ReadAsync(await browser.SignInAsync(email));

        Assert.All(attempts[..4], a => Assert.Contains(SignInModel.InvalidMessage, a.Text, StringComparison.Ordinal));
        Assert.Contains("locked after too many failed sign-ins", attempts[4].Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Contains("locked after too many failed sign-ins", right.Get("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Contains("15 minutes", right.Text, StringComparison.Ordinal);
        Assert.False(await browser.IsSignedInAsync());
        Assert.NotNull((await FindUserAsync(email))!.LockoutEnd);
    }

    [Fact]
    public async Task SignIn_UnknownEmailAndWrongPassword_GiveTheSameAnswer()
    {
        var email = HubBrowser.NewEmail();
        using (var owner = new HubBrowser(hub))
        {
            await owner.SignUpAsync(email);
        }

        using var browser = new HubBrowser(hub);
        var unknown = await HubBrowser.ReadAsync(await browser.SignInAsync(HubBrowser.NewEmail()));
        var wrong = await HubBrowser.ReadAsync(await browser.SignInAsync(email, "wrong-password-1"));

        Assert.Equal(unknown.Get("[role=alert]").TextContent.Trim(), wrong.Get("[role=alert]").TextContent.Trim());
        Assert.Contains(SignInModel.InvalidMessage, unknown.Text, StringComparison.Ordinal);
        Assert.False(await browser.IsSignedInAsync());
    }

    [Theory]
    [InlineData("/Accounts/Tokens", "/Accounts/Tokens")]
    [InlineData("/Accounts/Settings?tab=1", "/Accounts/Settings?tab=1")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("javascript:alert(1)", "/")]
    public async Task SignIn_ReturnUrl_OnlyLocalAddressesAreFollowed(string returnUrl, string expected)
    {
        var email = HubBrowser.NewEmail();
        using (var owner = new HubBrowser(hub))
        {
            await owner.SignUpAsync(email);
        }

        using var browser = new HubBrowser(hub);
        var response = await browser.SignInAsync(email, returnUrl: returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignUp_WithReturnUrl_LandsThereAndIgnoresAnExternalOne()
    {
        using var local = new HubBrowser(hub);
        using var external = new HubBrowser(hub);
        var page = await local.OpenAsync("/Accounts/SignUp?returnUrl=%2FAccounts%2FTokens");
        var evil = await external.OpenAsync("/Accounts/SignUp?returnUrl=https%3A%2F%2Fevil.example%2F");
        var fields = (string email) => new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.DisplayName"] = "R", ["Input.Password"] = HubBrowser.Password,
        };

        var toLocal = await local.SubmitAsync(page, "main form", fields(HubBrowser.NewEmail()));
        var toEvil = await external.SubmitAsync(evil, "main form", fields(HubBrowser.NewEmail()));

        Assert.Equal("/Accounts/Tokens", toLocal.Headers.Location?.OriginalString);
        Assert.Equal("/", toEvil.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignOut_GetDoesNotSignOutButTheLayoutsPostButtonDoes()
    {
        using var browser = new HubBrowser(hub);
        await browser.SignUpAsync(HubBrowser.NewEmail());

        var confirm = await browser.OpenAsync("/Accounts/SignOut");
        var stillIn = await browser.IsSignedInAsync();
        var home = await browser.OpenAsync("/");
        var signedOut = await browser.SubmitAsync(home, "header form[action='/Accounts/SignOut']");

        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.True(stillIn);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.False(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task ForgotPassword_LinkFromTheMailFolder_SetsANewPasswordAndWorksOnce()
    {
        var email = HubBrowser.NewEmail();
        using (var owner = new HubBrowser(hub))
        {
            await owner.SignUpAsync(email, displayName: "Forgetful");
        }

        using var browser = new HubBrowser(hub);
        var forgot = await browser.OpenAsync("/Accounts/ForgotPassword");
        var sent = await browser.SubmitAndReadAsync(forgot, "main form", new Dictionary<string, string> { ["Input.Email"] = email });
        var mail = Assert.Single(MailsTo(email));
        var link = new Uri(ResetLink().Match(mail).Value);
        var reset = await browser.OpenAsync(link.PathAndQuery);
        var done = await browser.SubmitAndReadAsync(reset, "main form", new Dictionary<string, string> { ["Input.Password"] = "a-new-password-7" });
        var oldPassword = await browser.SignInAsync(email);
        var newPassword = await browser.SignInAsync(email, "a-new-password-7");
        using var another = new HubBrowser(hub);
        var reused = await another.OpenAsync(link.PathAndQuery);
        var reusedResult = await another.SubmitAndReadAsync(reused, "main form", new Dictionary<string, string> { ["Input.Password"] = "yet-another-password-8" });

        Assert.Contains("we have sent it a link", sent.Text, StringComparison.Ordinal);
        Assert.Contains("Subject: Set your Flattr Hub password", mail, StringComparison.Ordinal);
        Assert.Contains("Hello Forgetful,", mail, StringComparison.Ordinal);
        Assert.StartsWith(hub.BaseAddress.AbsoluteUri, link.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("Your password is set", done.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, newPassword.StatusCode);
        Assert.Contains(ResetPasswordModel.InvalidLinkMessage, reusedResult.Text, StringComparison.Ordinal);
        using var check = new HubBrowser(hub);
        Assert.Equal(HttpStatusCode.Redirect, (await check.SignInAsync(email, "a-new-password-7")).StatusCode);
    }

    [Fact]
    public async Task ForgotPassword_UnknownEmail_AnswersTheSameAndSendsNothing()
    {
        var email = HubBrowser.NewEmail("nobody");
        using var browser = new HubBrowser(hub);
        var forgot = await browser.OpenAsync("/Accounts/ForgotPassword");

        var sent = await browser.SubmitAndReadAsync(forgot, "main form", new Dictionary<string, string> { ["Input.Email"] = email });

        Assert.Contains("we have sent it a link", sent.Text, StringComparison.Ordinal);
        Assert.Empty(MailsTo(email));
    }

    [Fact]
    public async Task ResetPassword_TamperedCode_IsRefusedAndThePasswordStays()
    {
        var email = HubBrowser.NewEmail();
        using (var owner = new HubBrowser(hub))
        {
            await owner.SignUpAsync(email);
        }

        using var browser = new HubBrowser(hub);
        var page = await browser.OpenAsync($"/Accounts/ResetPassword?email={Uri.EscapeDataString(email)}&code=bm90LWEtdG9rZW4");
        var result = await browser.SubmitAndReadAsync(page, "main form", new Dictionary<string, string> { ["Input.Password"] = "a-new-password-7" });

        Assert.Contains(ResetPasswordModel.InvalidLinkMessage, result.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email)).StatusCode);
    }

    [Fact]
    public async Task Tokens_Create_ShowsTheTokenOnceAndStoresOnlyItsHash()
    {
        using var browser = new HubBrowser(hub);
        var email = HubBrowser.NewEmail();
        await browser.SignUpAsync(email);
        var tokens = await browser.OpenAsync("/Accounts/Tokens");

        var created = await browser.SubmitAndReadAsync(tokens, "form[action*='handler=Create']", new Dictionary<string, string> { ["Input.Name"] = "backup script" });
        var token = created.Get("#token-value").TextContent.Trim();
        var later = await browser.OpenAsync("/Accounts/Tokens");

        Assert.StartsWith(ApiTokens.TokenPrefix, token, StringComparison.Ordinal);
        Assert.Contains("shown only this once", created.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, later.Document.DocumentElement.OuterHtml, StringComparison.Ordinal);
        var row = later.Get("#tokens tbody tr");
        Assert.Contains("backup script", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(ApiTokens.DisplayPrefix(token), row.TextContent, StringComparison.Ordinal);
        Assert.Contains("never", row.TextContent, StringComparison.Ordinal);
        var user = await FindUserAsync(email);
        var stored = await hub.WithDbAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.AccountId == user!.Id));
        Assert.Equal(ApiTokens.Hash(token), stored.TokenHash);
        Assert.Equal("backup script", stored.Name);
        Assert.Equal(hub.Time.GetUtcNow(), stored.CreatedAt);
        Assert.DoesNotContain(token, stored.TokenHash + stored.Prefix + stored.Name, StringComparison.Ordinal);
        Assert.Null(stored.RevokedAt);
    }

    [Fact]
    public async Task Tokens_Revoke_RevokesTheOwnersTokenButNotAnotherAccounts()
    {
        using var owner = new HubBrowser(hub);
        using var other = new HubBrowser(hub);
        await owner.SignUpAsync(HubBrowser.NewEmail());
        await other.SignUpAsync(HubBrowser.NewEmail());
        var ownerPage = await owner.SubmitAndReadAsync(await owner.OpenAsync("/Accounts/Tokens"), "form[action*='handler=Create']",
            new Dictionary<string, string> { ["Input.Name"] = "first" });
        await owner.SubmitAndReadAsync(ownerPage, "form[action*='handler=Create']", new Dictionary<string, string> { ["Input.Name"] = "second" });
        var list = await owner.OpenAsync("/Accounts/Tokens");
        var firstRow = list.Document.QuerySelectorAll("#tokens tr[data-token-id]").Single(r => r.QuerySelector("td")!.TextContent == "first");
        var firstId = long.Parse(firstRow.GetAttribute("data-token-id")!, System.Globalization.CultureInfo.InvariantCulture);
        var otherPage = await other.OpenAsync("/Accounts/Tokens");

        // The other account's own form and antiforgery token, aimed at the owner's token id.
        var foreign = await other.Http.PostAsync(new Uri(hub.BaseAddress, $"Accounts/Tokens?handler=Revoke&tokenId={firstId}"), new FormUrlEncodedContent(
            [new("__RequestVerificationToken", otherPage.Get("form[action*='handler=Create'] input[name=__RequestVerificationToken]").GetAttribute("value")!)]));
        var revoked = await owner.SubmitAndReadAsync(list, $"tr[data-token-id='{firstId}'] form");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Contains("no longer works", revoked.Text, StringComparison.Ordinal);
        Assert.Null(revoked.Find($"tr[data-token-id='{firstId}']"));
        Assert.Contains("second", revoked.Get("#tokens").TextContent, StringComparison.Ordinal);
        var stored = await hub.WithDbAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == firstId));
        Assert.Equal("first", stored.Name);
        Assert.Equal(hub.Time.GetUtcNow(), stored.RevokedAt);
    }

    [Fact]
    public async Task AccessDenied_IsA403Page()
    {
        using var browser = new HubBrowser(hub);

        var page = await browser.OpenAsync("/Accounts/AccessDenied");

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Contains("Access denied", page.Get("h1").TextContent, StringComparison.Ordinal);
    }
}

public sealed class AccountPagesSqliteTests(SqliteHubFixture hub) : AccountPagesTests(hub), IClassFixture<SqliteHubFixture>;

public sealed class AccountPagesPostgresTests(PostgresHubFixture hub) : AccountPagesTests(hub), IClassFixture<PostgresHubFixture>;
