using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Flattr.Hub.Accounts;
using Flattr.Hub.Funding;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Flattr.Hub.IntegrationTests.Payouts;
using Flattr.Hub.Ledger;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Flattr.Hub.IntegrationTests.Funding;

/// <summary>Arranging and checking money on a running Hub: Stripe webhooks as Stripe sends them, signed-in browsers, ledger reads.</summary>
public static class MoneyTestKit
{
    public const string PlatformSecret = "whsec_test_platform";
    public const string ConnectSecret = "whsec_test_connect";

    /// <summary>
    /// POSTs a webhook the way Stripe delivers it: the raw JSON with a <c>Stripe-Signature</c> header signed with
    /// <paramref name="secret"/> at <paramref name="at"/> (the Hub's clock by default, which is what it verifies against).
    /// </summary>
    public static async Task<HttpResponseMessage> PostWebhookAsync(
        this HubFixture hub, string payload, string secret = PlatformSecret, string path = "stripe/webhook", DateTimeOffset? at = null, string? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hub.BaseAddress, path));
        request.Headers.Add("Stripe-Signature", Flattr.StripeDouble.StripeDouble.SignWebhook(payload, secret, at ?? hub.Time.GetUtcNow()));
        request.Content = new StringContent(body ?? payload, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await hub.Client.SendAsync(request);
    }

    /// <summary>Starts a checkout for the reader through the Hub's own service and returns the session id the double made.</summary>
    public static async Task<string> StartCheckoutAsync(this HubFixture hub, string readerId, string amount)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        var url = await scope.ServiceProvider.GetRequiredService<StripeFunding>().StartCheckoutAsync(readerId, null, amount, CancellationToken.None);
        return url.Segments[^1];
    }

    public static Task<long> FundsAsync(this HubFixture hub, string readerId) => hub.WithScopeAsync<long, LedgerService>(l => l.ReaderFundsAsync(readerId, default));

    public static Task<LedgerReport> VerifyLedgerAsync(this HubFixture hub) => hub.WithScopeAsync<LedgerReport, LedgerVerifier>(v => v.VerifyAsync(default));

    public static Task<int> TransactionsAsync(this HubFixture hub, string referencePrefix) =>
        hub.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Reference.StartsWith(referencePrefix)));

    public static async Task<T> WithScopeAsync<T, TService>(this HubFixture hub, Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>A new account (reader role, plus <paramref name="roles"/>) with a password, and a browser signed in as it.</summary>
    public static async Task<(HubBrowser Browser, string AccountId)> SignedInAsync(this HubFixture hub, long monthlyBudget = 0, params string[] roles)
    {
        var email = HubBrowser.NewEmail(roles.Length == 0 ? "reader" : roles[0]);
        string id;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
            var user = new HubUser { UserName = email, Email = email, DisplayName = "Test Person", MonthlyBudget = monthlyBudget, CreatedAt = hub.Time.GetUtcNow() };
            Check(await users.CreateAsync(user, HubBrowser.Password));
            foreach (var role in roles.Append(HubRoles.Reader).Distinct())
            {
                Check(await users.AddToRoleAsync(user, role));
            }

            id = user.Id;
        }

        return (await SignInAsync(hub, email), id);
    }

    /// <summary>Gives an existing account (made without a password, as PayoutWorld makes people) a password and signs in as it.</summary>
    public static async Task<HubBrowser> SignInAsAsync(this HubFixture hub, string accountId)
    {
        string email;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
            var user = await users.FindByIdAsync(accountId) ?? throw new InvalidOperationException($"No account {accountId}.");
            if (!await users.HasPasswordAsync(user))
            {
                Check(await users.AddPasswordAsync(user, HubBrowser.Password));
            }

            email = user.Email!;
        }

        return await SignInAsync(hub, email);
    }

    public static PayoutWorld World(this PayoutHubFixture hub) => new(hub, hub.Stripe);

    private static async Task<HubBrowser> SignInAsync(HubFixture hub, string email)
    {
        var browser = new HubBrowser(hub);
        var response = await browser.SignInAsync(email);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            browser.Dispose();
            throw new InvalidOperationException($"{email} could not sign in.");
        }

        return browser;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
