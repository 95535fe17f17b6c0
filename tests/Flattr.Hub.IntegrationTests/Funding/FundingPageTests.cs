using System.Net;
using Flattr.Hub.Funding;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Flattr.Hub.IntegrationTests.Payouts;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.IntegrationTests.Funding;

/// <summary><c>/Funding</c> on a Hub with Stripe (the double): adding funds goes through Stripe Checkout.</summary>
public abstract class FundingPageTests(PayoutHubFixture hub)
{
    [Fact]
    public async Task AddFunds_ValidAmount_CreatesACheckoutSessionAtStripeAndRedirectsToIt()
    {
        var (browser, reader) = await hub.SignedInAsync(monthlyBudget: 500);
        using var _ = browser;
        var page = await browser.OpenAsync("/Funding");

        var response = await browser.SubmitAsync(page, "#add-funds-form", new Dictionary<string, string> { ["Amount"] = "7.50" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(hub.Stripe.BaseAddress.AbsoluteUri + "pay/cs_test_", location.AbsoluteUri, StringComparison.Ordinal);
        var request = hub.Stripe.Requests.Last(r => r.Method == "POST" && r.Path == "/v1/checkout/sessions");
        Assert.Equal("payment", request.Parameters["mode"]);
        Assert.Equal("750", request.Parameters["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("eur", request.Parameters["line_items[0][price_data][currency]"]);
        Assert.Equal("1", request.Parameters["line_items[0][quantity]"]);
        Assert.Equal(reader, request.Parameters["client_reference_id"]);
        Assert.Equal(reader, request.Parameters["metadata[flattr_reader]"]);
        Assert.StartsWith(hub.BaseAddress.AbsoluteUri + "Funding?checkout=success", request.Parameters["success_url"], StringComparison.Ordinal);
        Assert.Equal(hub.BaseAddress.AbsoluteUri + "Funding?checkout=cancelled", request.Parameters["cancel_url"]);
        var checkout = await hub.WithDbAsync(db => db.StripeCheckouts.AsNoTracking().SingleAsync(c => c.ReaderId == reader));
        Assert.Equal((750L, StripeCheckoutState.Open), (checkout.Amount, checkout.State));
        Assert.Equal(location.Segments[^1], checkout.SessionId);
        Assert.Equal(0, await hub.FundsAsync(reader));
    }

    [Fact]
    public async Task FundingPage_AfterStripeConfirmsThePayment_ShowsTheFundsAndTheHistory()
    {
        var (browser, reader) = await hub.SignedInAsync(monthlyBudget: 500);
        using var _ = browser;
        var redirect = await browser.SubmitAsync(await browser.OpenAsync("/Funding"), "#add-funds-form", new Dictionary<string, string> { ["Amount"] = "20.00" });
        var session = redirect.Headers.Location!.Segments[^1];
        var back = await browser.OpenAsync("/Funding?checkout=success&session_id=" + session);

        await hub.PostWebhookAsync(hub.Stripe.CompleteCheckoutSession(session));
        var after = await browser.OpenAsync("/Funding");

        Assert.Contains("Stripe is confirming your payment", back.Get("#checkout-status").TextContent, StringComparison.Ordinal);
        Assert.Equal("EUR 0.00", back.Get("#funds").TextContent);
        Assert.NotNull(back.Find("#open-checkouts"));
        Assert.Equal("EUR 20.00", after.Get("#funds").TextContent);
        Assert.Null(after.Find("#open-checkouts"));
        var row = after.Get("#funding-history tbody tr");
        Assert.Equal("funding.stripe", row.GetAttribute("data-kind"));
        Assert.Equal("+EUR 20.00", row.QuerySelector(".amount")!.TextContent);
    }

    [Theory]
    [InlineData("1.99")]
    [InlineData("0")]
    [InlineData("-5.00")]
    [InlineData("ten")]
    [InlineData("1000000.00")]
    public async Task AddFunds_AmountOutOfRange_ShowsTheRuleAndCreatesNoSession(string amount)
    {
        var (browser, reader) = await hub.SignedInAsync(monthlyBudget: 500);
        using var _ = browser;
        var page = await browser.OpenAsync("/Funding");
        var sessions = hub.Stripe.Requests.Count(r => r.Path == "/v1/checkout/sessions");

        var result = await browser.SubmitAndReadAsync(page, "#add-funds-form", new Dictionary<string, string> { ["Amount"] = amount });

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("at least EUR 2.00", result.Get("[data-valmsg-for='Amount']").TextContent, StringComparison.Ordinal);
        Assert.Equal(sessions, hub.Stripe.Requests.Count(r => r.Path == "/v1/checkout/sessions"));
        Assert.False(await hub.WithDbAsync(db => db.StripeCheckouts.AnyAsync(c => c.ReaderId == reader)));
    }

    [Fact]
    public async Task AddFunds_WithoutAntiforgeryToken_Is400AndCreatesNoSession()
    {
        var (browser, reader) = await hub.SignedInAsync(monthlyBudget: 500);
        using var _ = browser;
        await browser.OpenAsync("/Funding");

        using var forged = new FormUrlEncodedContent([new("Amount", "50.00")]);
        var response = await browser.Http.PostAsync(new Uri(hub.BaseAddress, "Funding"), forged);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await hub.WithDbAsync(db => db.StripeCheckouts.AnyAsync(c => c.ReaderId == reader)));
    }

    [Fact]
    public async Task FundingPage_Anonymous_RedirectsToSignIn()
    {
        using var browser = new HubBrowser(hub);

        var response = await browser.GetAsync("/Funding");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Accounts/SignIn", response.Headers.Location?.AbsolutePath);
    }
}

public sealed class FundingPageSqliteTests(SqlitePayoutHubFixture hub) : FundingPageTests(hub), IClassFixture<SqlitePayoutHubFixture>;

public sealed class FundingPagePostgresTests(PostgresPayoutHubFixture hub) : FundingPageTests(hub), IClassFixture<PostgresPayoutHubFixture>;

/// <summary><c>/Funding</c> and the webhook on a Hub without Stripe keys: funding is manual only.</summary>
public abstract class ManualFundingTests(HubFixture hub)
{
    [Fact]
    public async Task FundingPage_WithoutStripe_SaysFundingIsManualOnlyAndOffersNoPayment()
    {
        var (browser, reader) = await hub.SignedInAsync(monthlyBudget: 500);
        using var _ = browser;
        await hub.WithScopeAsync<Ledger.LedgerTransaction, FundingService>(f => f.CreditManuallyAsync(reader, "15.00", "bank transfer 4711", "test", default));

        var page = await browser.OpenAsync("/Funding");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Funding is manual only", page.Get("#manual-funding").TextContent, StringComparison.Ordinal);
        Assert.Contains("An admin credits your funds", page.Get("#manual-funding").TextContent, StringComparison.Ordinal);
        Assert.Null(page.Find("#add-funds-form"));
        Assert.DoesNotContain("Stripe", page.Get("#add-funds").ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.Equal("EUR 15.00", page.Get("#funds").TextContent);
        Assert.Contains("bank transfer 4711", page.Get("#funding-history").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddFunds_PostedWithoutStripe_ShowsAnErrorAndBooksNothing()
    {
        var (browser, reader) = await hub.SignedInAsync(monthlyBudget: 500);
        using var _ = browser;
        var page = await browser.OpenAsync("/Funding");
        var token = page.Get("input[name=__RequestVerificationToken]").GetAttribute("value")!;

        using var form = new FormUrlEncodedContent([new("Amount", "10.00"), new("__RequestVerificationToken", token)]);
        var result = await HubBrowser.ReadAsync(await browser.Http.PostAsync(new Uri(hub.BaseAddress, "Funding"), form));

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("an admin credits funds instead", result.Text, StringComparison.Ordinal);
        Assert.Equal(0, await hub.FundsAsync(reader));
    }

    [Fact]
    public async Task Webhook_WithoutStripe_Is404ProblemAndStoresNothing()
    {
        var transactions = await hub.WithDbAsync(db => db.LedgerTransactions.CountAsync());

        var response = await hub.PostWebhookAsync("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\"}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(transactions, await hub.WithDbAsync(db => db.LedgerTransactions.CountAsync()));
    }
}

public sealed class ManualFundingSqliteTests(SqliteHubFixture hub) : ManualFundingTests(hub), IClassFixture<SqliteHubFixture>;

public sealed class ManualFundingPostgresTests(PostgresHubFixture hub) : ManualFundingTests(hub), IClassFixture<PostgresHubFixture>;
