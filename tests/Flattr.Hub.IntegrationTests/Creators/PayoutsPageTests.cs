using System.Net;
using Flattr.Hub.Accounts;
using Flattr.Hub.IntegrationTests.Funding;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Flattr.Hub.IntegrationTests.Payouts;
using Flattr.Hub.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.IntegrationTests.Creators;

/// <summary><c>/Creators/Payouts</c>: connecting Stripe (Express onboarding at the double), status, earnings, history.</summary>
public abstract class PayoutsPageTests(PayoutHubFixture hub)
{
    [Fact]
    public async Task Connect_NewCreator_CreatesAnExpressAccountAndRedirectsToStripesOnboardingLink()
    {
        var (browser, creator) = await hub.SignedInAsync(0, HubRoles.Creator);
        using var _ = browser;
        var page = await browser.OpenAsync("/Creators/Payouts");

        var response = await browser.SubmitAsync(page, "#connect-stripe");

        Assert.Equal("not-connected", page.Get("#payout-status").GetAttribute("data-status"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await hub.WithDbAsync(db => db.PayoutAccounts.AsNoTracking().SingleAsync(a => a.AccountId == creator));
        Assert.False(stored.PayoutsEnabled);
        Assert.Equal(hub.Stripe.BaseAddress.AbsoluteUri + $"onboarding/{stored.StripeAccountId}", response.Headers.Location!.GetLeftPart(UriPartial.Path));
        var created = hub.Stripe.Requests.Single(r => r.Method == "POST" && r.Path == "/v1/accounts" && r.Parameters.GetValueOrDefault("metadata[flattr_account]") == creator);
        Assert.Equal("express", created.Parameters["type"]);
        Assert.Equal($"flattr-connect:{creator}", created.IdempotencyKey);
        var link = hub.Stripe.Requests.Last(r => r.Method == "POST" && r.Path == "/v1/account_links" && r.Parameters["account"] == stored.StripeAccountId);
        Assert.Equal("account_onboarding", link.Parameters["type"]);
        Assert.Equal(hub.BaseAddress.AbsoluteUri + "Creators/Payouts", link.Parameters["return_url"]);
        Assert.Equal(hub.BaseAddress.AbsoluteUri + "Creators/PayoutsRefresh", link.Parameters["refresh_url"]);
    }

    [Fact]
    public async Task ReturnPage_AfterOnboarding_RereadsTheAccountFromStripeAndShowsPayoutsEnabled()
    {
        var (browser, creator) = await hub.SignedInAsync(0, HubRoles.Creator);
        using var _ = browser;
        await browser.SubmitAsync(await browser.OpenAsync("/Creators/Payouts"), "#connect-stripe");
        var stripeAccount = await hub.WithDbAsync(db => db.PayoutAccounts.Where(a => a.AccountId == creator).Select(a => a.StripeAccountId).SingleAsync());
        var unfinished = await browser.OpenAsync("/Creators/Payouts");

        hub.Stripe.SetAccountReady(stripeAccount, ready: true);
        var returned = await browser.OpenAsync("/Creators/Payouts");

        Assert.Equal("incomplete", unfinished.Get("#payout-status").GetAttribute("data-status"));
        Assert.NotNull(unfinished.Find("#connect-stripe"));
        Assert.Equal("enabled", returned.Get("#payout-status").GetAttribute("data-status"));
        Assert.Null(returned.Find("#connect-stripe"));
        var stored = await hub.WithDbAsync(db => db.PayoutAccounts.AsNoTracking().SingleAsync(a => a.AccountId == creator));
        Assert.True(stored.PayoutsEnabled);
        Assert.True(stored.DetailsSubmitted);
    }

    [Fact]
    public async Task Connect_Twice_KeepsOneStripeAccount()
    {
        var (browser, creator) = await hub.SignedInAsync(0, HubRoles.Creator);
        using var _ = browser;

        var first = await browser.SubmitAsync(await browser.OpenAsync("/Creators/Payouts"), "#connect-stripe");
        var second = await browser.SubmitAsync(await browser.OpenAsync("/Creators/Payouts"), "#connect-stripe");

        Assert.Equal(first.Headers.Location!.AbsolutePath, second.Headers.Location!.AbsolutePath);
        Assert.Equal(1, await hub.WithDbAsync(db => db.PayoutAccounts.CountAsync(a => a.AccountId == creator)));
        Assert.Single(hub.Stripe.Requests, r => r.Method == "POST" && r.Path == "/v1/accounts" && r.Parameters.GetValueOrDefault("metadata[flattr_account]") == creator);
    }

    [Fact]
    public async Task RefreshPage_ExpiredLink_MintsANewLinkAndRedirectsToIt()
    {
        var (browser, creator) = await hub.SignedInAsync(0, HubRoles.Creator);
        using var _ = browser;
        await browser.SubmitAsync(await browser.OpenAsync("/Creators/Payouts"), "#connect-stripe");
        var links = hub.Stripe.Requests.Count(r => r.Path == "/v1/account_links");

        var response = await browser.GetAsync("/Creators/PayoutsRefresh");

        var stripeAccount = await hub.WithDbAsync(db => db.PayoutAccounts.Where(a => a.AccountId == creator).Select(a => a.StripeAccountId).SingleAsync());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(hub.Stripe.BaseAddress.AbsoluteUri + $"onboarding/{stripeAccount}", response.Headers.Location!.GetLeftPart(UriPartial.Path));
        Assert.Equal(links + 1, hub.Stripe.Requests.Count(r => r.Path == "/v1/account_links"));
    }

    [Fact]
    public async Task PayoutsPage_ShowsWhatTheClaimedCreatorsEarnedAndNotYetPaid()
    {
        var world = hub.World();
        var person = await world.PersonAsync("earner");
        await world.ThingAsync("essay", "earner-writer", claimedBy: "earner");
        await world.ThingAsync("photo", "earner-photographer", claimedBy: "earner");
        var creators = await hub.WithDbAsync(db => db.Creators.Where(c => c.AccountId == person).Select(c => c.Id).ToListAsync());
        await hub.WithDbAsync(async db =>
        {
            db.LedgerTransactions.Add(new LedgerTransaction
            {
                Kind = "payout.commit", Reference = "test:earned:" + person, Actor = "test", At = hub.Time.GetUtcNow(),
                Entries =
                [
                    new LedgerEntry { Account = LedgerAccounts.StripeClearing, Amount = 1234 + 766, Currency = "EUR" },
                    new LedgerEntry { Account = LedgerAccounts.CreatorEarnings(creators[0]), Amount = -1234, Currency = "EUR" },
                    new LedgerEntry { Account = LedgerAccounts.CreatorEarnings(creators[1]), Amount = -766, Currency = "EUR" },
                ],
            });
            return await db.SaveChangesAsync();
        });
        await hub.WithScopeAsync<bool, Microsoft.AspNetCore.Identity.UserManager<HubUser>>(async users =>
            (await users.AddToRoleAsync((await users.FindByIdAsync(person))!, HubRoles.Creator)).Succeeded);
        using var browser = await hub.SignInAsAsync(person);

        var page = await browser.OpenAsync("/Creators/Payouts");

        Assert.Equal("EUR 20.00", page.Get("#earned").TextContent);
        Assert.Contains("2 claimed creators", page.Text, StringComparison.Ordinal);
        Assert.Contains("No payouts yet", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PayoutsPage_Reader_IsDenied()
    {
        var (browser, _) = await hub.SignedInAsync(500);
        using var __ = browser;

        var response = await browser.GetAsync("/Creators/Payouts");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Accounts/AccessDenied", response.Headers.Location?.AbsolutePath);
    }
}

public sealed class PayoutsPageSqliteTests(SqlitePayoutHubFixture hub) : PayoutsPageTests(hub), IClassFixture<SqlitePayoutHubFixture>;

public sealed class PayoutsPagePostgresTests(PostgresPayoutHubFixture hub) : PayoutsPageTests(hub), IClassFixture<PostgresPayoutHubFixture>;

/// <summary><c>/Creators/Payouts</c> on a Hub without Stripe: payouts are manual, nothing to connect.</summary>
public abstract class ManualPayoutsPageTests(HubFixture hub)
{
    [Fact]
    public async Task PayoutsPage_WithoutStripe_SaysPayoutsAreManualAndOffersNoConnect()
    {
        var (browser, _) = await hub.SignedInAsync(0, HubRoles.Creator);
        using var __ = browser;

        var page = await browser.OpenAsync("/Creators/Payouts");

        Assert.Contains("made by its admins outside Stripe", page.Get("#manual-payouts").TextContent, StringComparison.Ordinal);
        Assert.Null(page.Find("#connect-stripe"));
    }
}

public sealed class ManualPayoutsPageSqliteTests(SqliteHubFixture hub) : ManualPayoutsPageTests(hub), IClassFixture<SqliteHubFixture>;

public sealed class ManualPayoutsPagePostgresTests(PostgresHubFixture hub) : ManualPayoutsPageTests(hub), IClassFixture<PostgresHubFixture>;
