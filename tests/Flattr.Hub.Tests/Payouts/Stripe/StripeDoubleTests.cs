using System.Net;
using Stripe;
using Stripe.Checkout;
using Double = Flattr.StripeDouble.StripeDouble;

namespace Flattr.Hub.Tests.Payouts.Stripe;

/// <summary>
/// The Stripe test double behaves as Stripe does for what the Hub relies on, driven through the real Stripe.net client:
/// if these fail, tests built on the double would prove nothing.
/// </summary>
public sealed class StripeDoubleTests : IAsyncLifetime
{
    private Double _stripe = null!;
    private StripeClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _stripe = await Double.StartAsync();
        _client = _stripe.CreateClient(maxNetworkRetries: 0);
    }

    public async ValueTask DisposeAsync() => await _stripe.DisposeAsync();

    private async Task<Account> ReadyAccountAsync()
    {
        var account = await new AccountService(_client).CreateAsync(new AccountCreateOptions { Type = "express", Email = "c@example.org" });
        _stripe.SetAccountReady(account.Id, ready: true);
        return account;
    }

    private Task<Transfer> TransferAsync(string destination, long amount, string key, string group = "run-1") =>
        new TransferService(_client).CreateAsync(
            new TransferCreateOptions { Amount = amount, Currency = "eur", Destination = destination, TransferGroup = group },
            new RequestOptions { IdempotencyKey = key });

    [Fact]
    public async Task CheckoutSession_CreatedThroughStripeNet_CarriesAmountUrlAndMetadata()
    {
        var session = await new SessionService(_client).CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = "https://hub.example/funds/done",
            CancelUrl = "https://hub.example/funds",
            ClientReferenceId = "reader-1",
            Metadata = new Dictionary<string, string> { ["reader"] = "reader-1" },
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions { Currency = "eur", UnitAmount = 500, ProductData = new() { Name = "Flattr funds" } },
                },
            ],
        });

        Assert.StartsWith("cs_test_", session.Id, StringComparison.Ordinal);
        Assert.Equal(500, session.AmountTotal);
        Assert.Equal("eur", session.Currency);
        Assert.Equal("reader-1", session.ClientReferenceId);
        Assert.Equal("reader-1", session.Metadata["reader"]);
        Assert.Equal("unpaid", session.PaymentStatus);
        Assert.NotNull(session.Url);
    }

    [Fact]
    public async Task CompletedCheckout_EventVerifiesWithStripeNetAndCarriesThePaidSession()
    {
        var session = await new SessionService(_client).CreateAsync(new SessionCreateOptions
        {
            Mode = "payment", SuccessUrl = "https://x/", ClientReferenceId = "r",
            LineItems = [new() { Quantity = 2, PriceData = new() { Currency = "eur", UnitAmount = 250, ProductData = new() { Name = "Funds" } } }],
        });
        var payload = _stripe.CompleteCheckoutSession(session.Id);
        var signature = Double.SignWebhook(payload, "whsec_test", TimeProvider.System.GetUtcNow() /* Stripe.net checks signatures against the real clock */);

        var evt = EventUtility.ConstructEvent(payload, signature, "whsec_test");

        Assert.Equal(EventTypes.CheckoutSessionCompleted, evt.Type);
        var paid = Assert.IsType<Session>(evt.Data.Object);
        Assert.Equal(session.Id, paid.Id);
        Assert.Equal("paid", paid.PaymentStatus);
        Assert.Equal(500, paid.AmountTotal);
        Assert.Equal(500, _stripe.AvailableBalance("eur"));
    }

    [Fact]
    public void Webhook_TamperedStaleOrWrongSecret_IsRejectedByStripeNet()
    {
        var payload = _stripe.NewEvent("account.updated", new System.Text.Json.Nodes.JsonObject { ["id"] = "acct_x", ["object"] = "account" });
        var now = TimeProvider.System.GetUtcNow() /* Stripe.net checks signatures against the real clock */;

        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(payload.Replace("acct_x", "acct_y", StringComparison.Ordinal),
            Double.SignWebhook(payload, "whsec_test", now), "whsec_test"));
        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(payload, Double.SignWebhook(payload, "whsec_test", now.AddMinutes(-10)), "whsec_test"));
        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(payload, Double.SignWebhook(payload, "whsec_other", now), "whsec_test"));
    }

    [Fact]
    public async Task Accounts_StartNotReadyAndReportPayoutsOnceOnboarded()
    {
        var service = new AccountService(_client);
        var account = await service.CreateAsync(new AccountCreateOptions { Type = "express", Email = "c@example.org" });
        var link = await new AccountLinkService(_client).CreateAsync(new AccountLinkCreateOptions
        {
            Account = account.Id, RefreshUrl = "https://hub.example/refresh", ReturnUrl = "https://hub.example/return", Type = "account_onboarding",
        });

        Assert.False(account.PayoutsEnabled);
        Assert.NotNull(link.Url);
        _stripe.SetAccountReady(account.Id, ready: true);
        var onboarded = await service.GetAsync(account.Id);
        Assert.True(onboarded.PayoutsEnabled);
        Assert.Equal("active", onboarded.Capabilities.Transfers);
    }

    [Fact]
    public async Task Transfer_SameIdempotencyKeyAndParameters_ReturnsTheSameTransferAndMovesMoneyOnce()
    {
        var account = await ReadyAccountAsync();
        _stripe.SetAvailableBalance("eur", 10_000);

        var first = await TransferAsync(account.Id, 1_500, "payout:run-1:line-7");
        var again = await TransferAsync(account.Id, 1_500, "payout:run-1:line-7");

        Assert.Equal(first.Id, again.Id);
        Assert.Single(_stripe.Transfers);
        Assert.Equal(8_500, _stripe.AvailableBalance("eur"));
    }

    [Fact]
    public async Task Transfer_SameIdempotencyKeyOtherParameters_IsAnIdempotencyError()
    {
        var account = await ReadyAccountAsync();
        _stripe.SetAvailableBalance("eur", 10_000);
        await TransferAsync(account.Id, 1_500, "payout:run-1:line-7");

        var error = await Assert.ThrowsAsync<StripeException>(() => TransferAsync(account.Id, 1_600, "payout:run-1:line-7"));

        Assert.Equal("idempotency_error", error.StripeError.Type);
        Assert.Single(_stripe.Transfers);
    }

    [Fact]
    public async Task Transfer_MoreThanTheAvailableBalance_IsBalanceInsufficient()
    {
        var account = await ReadyAccountAsync();
        _stripe.SetAvailableBalance("eur", 100);

        var error = await Assert.ThrowsAsync<StripeException>(() => TransferAsync(account.Id, 1_500, "k1"));

        Assert.Equal("balance_insufficient", error.StripeError.Code);
        Assert.Empty(_stripe.Transfers);
        Assert.Equal(100, _stripe.AvailableBalance("eur"));
    }

    [Fact]
    public async Task Transfer_ToAnAccountWithoutTransfersCapability_IsRefused()
    {
        var account = await new AccountService(_client).CreateAsync(new AccountCreateOptions { Type = "express" });
        _stripe.SetAvailableBalance("eur", 10_000);

        var error = await Assert.ThrowsAsync<StripeException>(() => TransferAsync(account.Id, 100, "k1"));

        Assert.Equal("insufficient_capabilities_for_transfer", error.StripeError.Code);
    }

    [Fact]
    public async Task InjectedFailureAfterApplying_TheCallerSeesAnErrorButTheTransferExistsAndIsFoundByGroup()
    {
        var account = await ReadyAccountAsync();
        _stripe.SetAvailableBalance("eur", 10_000);
        _stripe.FailNext("/v1/transfers", 500, afterApplying: true);

        var error = await Assert.ThrowsAsync<StripeException>(() => TransferAsync(account.Id, 700, "k-lost", group: "run-42"));
        var found = await new TransferService(_client).ListAsync(new TransferListOptions { TransferGroup = "run-42" });

        Assert.Equal(HttpStatusCode.InternalServerError, error.HttpStatusCode);
        var transfer = Assert.Single(found.Data);
        Assert.Equal(700, transfer.Amount);
        // A retry with the same key replays the stored success instead of moving money twice.
        var retried = await TransferAsync(account.Id, 700, "k-lost", group: "run-42");
        Assert.Equal(transfer.Id, retried.Id);
        Assert.Equal(9_300, _stripe.AvailableBalance("eur"));
    }

    [Fact]
    public async Task RateLimitAndServerErrors_AreStripeExceptionsWithTheirStatus()
    {
        _stripe.FailNext("/v1/balance", 429, "rate_limit");
        _stripe.FailNext("/v1/balance", 503);

        var limited = await Assert.ThrowsAsync<StripeException>(() => new BalanceService(_client).GetAsync());
        var unavailable = await Assert.ThrowsAsync<StripeException>(() => new BalanceService(_client).GetAsync());
        var balance = await new BalanceService(_client).GetAsync();

        Assert.Equal((HttpStatusCode)429, limited.HttpStatusCode);
        Assert.Equal("rate_limit", limited.StripeError.Code);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.HttpStatusCode);
        Assert.NotNull(balance.Available);
    }

    [Fact]
    public async Task ListTransfers_ByGroup_PagesThroughEveryTransferOfThatGroupOnly()
    {
        var account = await ReadyAccountAsync();
        _stripe.SetAvailableBalance("eur", 1_000_000);
        for (var i = 0; i < 25; i++)
        {
            await TransferAsync(account.Id, 100 + i, $"k{i}", group: i % 5 == 0 ? "other" : "run-9");
        }

        var all = new List<Transfer>();
        await foreach (var transfer in new TransferService(_client).ListAutoPagingAsync(new TransferListOptions { TransferGroup = "run-9", Limit = 7 }))
        {
            all.Add(transfer);
        }

        Assert.Equal(20, all.Count);
        Assert.All(all, t => Assert.Equal("run-9", t.TransferGroup));
        Assert.Equal(20, all.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public async Task WrongApiKey_IsRefused()
    {
        var client = new StripeClient(new StripeClientOptions { ApiKey = "sk_test_wrong", ApiBase = _stripe.BaseAddress.AbsoluteUri.TrimEnd('/') });

        var error = await Assert.ThrowsAsync<StripeException>(() => new BalanceService(client).GetAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.HttpStatusCode);
    }
}
