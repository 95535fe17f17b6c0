using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flattr.Hub.Funding;
using Flattr.Hub.IntegrationTests.Payouts;
using Flattr.Hub.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.IntegrationTests.Funding;

/// <summary>
/// <c>POST /stripe/webhook</c> and <c>/stripe/connect-webhook</c> as Stripe calls them: events from the Stripe double,
/// signed with the endpoint's secret, over real HTTP, on each database.
/// </summary>
public abstract class StripeWebhookTests(PayoutHubFixture hub)
{
    private readonly PayoutWorld _world = hub.World();

    /// <summary>A reader who paid <paramref name="amount"/> through Checkout; returns the reader and the completed event.</summary>
    private async Task<(string Reader, string SessionId, string Event)> PaidCheckoutAsync(string amount = "10.00")
    {
        var reader = await _world.PersonAsync("reader-" + Guid.NewGuid().ToString("N")[..6], 500);
        var session = await hub.StartCheckoutAsync(reader, amount);
        return (reader, session, hub.Stripe.CompleteCheckoutSession(session));
    }

    private async Task<(string Reader, string PaymentIntent)> CreditedReaderAsync(string amount = "10.00")
    {
        var (reader, session, json) = await PaidCheckoutAsync(amount);
        var response = await hub.PostWebhookAsync(json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var intent = await hub.WithDbAsync(db => db.StripeCheckouts.Where(c => c.SessionId == session).Select(c => c.PaymentIntentId).SingleAsync());
        return (reader, intent!);
    }

    private Task<int> BookedAsync(string reference) => hub.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Reference == reference));

    private static async Task<string> OutcomeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("outcome").GetString()!;
    }

    private static JsonObject Charge(string paymentIntent, long amount, params (string Id, long Amount, string Status)[] refunds) => new()
    {
        ["id"] = "ch_" + Guid.NewGuid().ToString("N")[..12],
        ["object"] = "charge",
        ["amount"] = amount,
        ["amount_refunded"] = refunds.Where(r => r.Status == "succeeded").Sum(r => r.Amount),
        ["currency"] = "eur",
        ["livemode"] = false,
        ["paid"] = true,
        ["refunded"] = false,
        ["payment_intent"] = paymentIntent,
        ["refunds"] = new JsonObject
        {
            ["object"] = "list",
            ["has_more"] = false,
            ["url"] = "/v1/refunds",
            ["data"] = new JsonArray([.. refunds.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id, ["object"] = "refund", ["amount"] = r.Amount, ["currency"] = "eur", ["status"] = r.Status, ["payment_intent"] = paymentIntent,
            })]),
        },
    };

    private static JsonObject Dispute(string id, string paymentIntent, long amount, string status) => new()
    {
        ["id"] = id,
        ["object"] = "dispute",
        ["amount"] = amount,
        ["currency"] = "eur",
        ["charge"] = "ch_disputed",
        ["payment_intent"] = paymentIntent,
        ["status"] = status,
        ["livemode"] = false,
    };

    [Fact]
    public async Task CheckoutCompleted_SignedAsStripeSigns_CreditsTheReaderOnceAndRecordsThePaymentIntent()
    {
        var (reader, session, json) = await PaidCheckoutAsync("12.50");

        var response = await hub.PostWebhookAsync(json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Booked", await OutcomeAsync(response));
        Assert.Equal(1250, await hub.FundsAsync(reader));
        Assert.Equal(1, await BookedAsync(StripeFunding.CheckoutReference(session)));
        var checkout = await hub.WithDbAsync(db => db.StripeCheckouts.AsNoTracking().SingleAsync(c => c.SessionId == session));
        Assert.Equal(StripeCheckoutState.Credited, checkout.State);
        Assert.StartsWith("pi_", checkout.PaymentIntentId, StringComparison.Ordinal);
        Assert.Equal(1250, checkout.AmountCredited);
        var booked = await hub.WithDbAsync(db => db.LedgerTransactions.Include(t => t.Entries).AsNoTracking().SingleAsync(t => t.Reference == StripeFunding.CheckoutReference(session)));
        Assert.Equal(("funding.stripe", "stripe"), (booked.Kind, booked.Actor));
        Assert.Equal(1250, booked.Entries.Single(e => e.Account == LedgerAccounts.StripeClearing).Amount);
    }

    [Fact]
    public async Task CheckoutCompleted_RedeliveredThreeTimes_CreditsOnce()
    {
        var (reader, session, json) = await PaidCheckoutAsync("10.00");

        var first = await hub.PostWebhookAsync(json);
        var outcomes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var again = await hub.PostWebhookAsync(json);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            outcomes.Add(await OutcomeAsync(again));
        }

        Assert.Equal("Booked", await OutcomeAsync(first));
        Assert.Equal(["AlreadyBooked", "AlreadyBooked", "AlreadyBooked"], outcomes);
        Assert.Equal(1000, await hub.FundsAsync(reader));
        Assert.Equal(1, await BookedAsync(StripeFunding.CheckoutReference(session)));
    }

    [Fact]
    public async Task CheckoutCompleted_DeliveredConcurrently_CreditsOnce()
    {
        var (reader, session, json) = await PaidCheckoutAsync("7.00");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => hub.PostWebhookAsync(json)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var outcomes = await Task.WhenAll(responses.Select(OutcomeAsync));
        Assert.Equal(1, outcomes.Count(o => o == "Booked"));
        Assert.Equal(700, await hub.FundsAsync(reader));
        Assert.Equal(1, await BookedAsync(StripeFunding.CheckoutReference(session)));
        Assert.True((await hub.VerifyLedgerAsync()).Balanced);
    }

    public static readonly TheoryData<string> Refusals = ["tampered", "stale", "wrong-secret", "connect-secret", "no-signature", "wrong-livemode"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Webhook_NotAsStripeSignedItForThisHub_Is400AndStoresNothing(string how)
    {
        var (reader, session, json) = await PaidCheckoutAsync("9.00");
        var transactions = await hub.WithDbAsync(db => db.LedgerTransactions.CountAsync());
        var now = hub.Time.GetUtcNow();

        HttpResponseMessage response;
        switch (how)
        {
            case "tampered":
                // Signed, then the amount changed on the way.
                response = await hub.PostWebhookAsync(json, body: json.Replace("\"amount_total\":900", "\"amount_total\":90000", StringComparison.Ordinal));
                break;
            case "stale":
                response = await hub.PostWebhookAsync(json, at: now.AddMinutes(-6));
                break;
            case "wrong-secret":
                response = await hub.PostWebhookAsync(json, secret: "whsec_someone_else");
                break;
            case "connect-secret":
                response = await hub.PostWebhookAsync(json, secret: MoneyTestKit.ConnectSecret);
                break;
            case "no-signature":
                using (var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"))
                {
                    response = await hub.Client.PostAsync(new Uri(hub.BaseAddress, "stripe/webhook"), content);
                }

                break;
            default:
                // Correctly signed, but a live-mode event while the Hub holds a test key.
                var live = JsonNode.Parse(json)!.AsObject();
                live["livemode"] = true;
                response = await hub.PostWebhookAsync(live.ToJsonString());
                break;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await hub.FundsAsync(reader));
        Assert.Equal(transactions, await hub.WithDbAsync(db => db.LedgerTransactions.CountAsync()));
        Assert.Equal(StripeCheckoutState.Open, await hub.WithDbAsync(db => db.StripeCheckouts.Where(c => c.SessionId == session).Select(c => c.State).SingleAsync()));
    }

    [Fact]
    public async Task Webhook_UnknownEventType_Is200AndIgnored()
    {
        var json = hub.Stripe.NewEvent("customer.created", new JsonObject { ["id"] = "cus_123", ["object"] = "customer" });
        var transactions = await hub.WithDbAsync(db => db.LedgerTransactions.CountAsync());

        var response = await hub.PostWebhookAsync(json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Ignored", await OutcomeAsync(response));
        Assert.Equal(transactions, await hub.WithDbAsync(db => db.LedgerTransactions.CountAsync()));
    }

    [Fact]
    public async Task ChargeRefunded_PartialRefundsRedelivered_ReverseEachRefundOnce()
    {
        var (reader, intent) = await CreditedReaderAsync("10.00");
        var re1 = "re_" + Guid.NewGuid().ToString("N")[..12];
        var re2 = "re_" + Guid.NewGuid().ToString("N")[..12];
        var firstRefund = hub.Stripe.NewEvent("charge.refunded", Charge(intent, 1000, (re1, 300, "succeeded")));
        // The second event lists both refunds, as the charge does after the second one.
        var secondRefund = hub.Stripe.NewEvent("charge.refunded", Charge(intent, 1000, (re1, 300, "succeeded"), (re2, 200, "succeeded")));

        var responses = new[]
        {
            await hub.PostWebhookAsync(firstRefund), await hub.PostWebhookAsync(secondRefund),
            await hub.PostWebhookAsync(firstRefund), await hub.PostWebhookAsync(secondRefund),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(["Booked", "Booked", "AlreadyBooked", "AlreadyBooked"], await Task.WhenAll(responses.Select(OutcomeAsync)));
        Assert.Equal(500, await hub.FundsAsync(reader));
        Assert.Equal(1, await BookedAsync($"stripe:refund:{re1}"));
        Assert.Equal(1, await BookedAsync($"stripe:refund:{re2}"));
    }

    [Fact]
    public async Task ChargeRefunded_AfterTheFundsWereSpent_TakesTheReaderBelowZeroAndTheVerifierWarns()
    {
        var (reader, intent) = await CreditedReaderAsync("10.00");
        // The reader's budget was spent meanwhile: their funds went to the month's fee and creators.
        await hub.WithDbAsync(async db =>
        {
            db.LedgerTransactions.Add(new LedgerTransaction
            {
                Kind = "payout.commit", Reference = "test:spent:" + reader, Actor = "test", At = hub.Time.GetUtcNow(),
                Entries =
                [
                    new LedgerEntry { Account = LedgerAccounts.ReaderFunds(reader), Amount = 800, Currency = "EUR" },
                    new LedgerEntry { Account = LedgerAccounts.PlatformFees, Amount = -800, Currency = "EUR" },
                ],
            });
            return await db.SaveChangesAsync();
        });

        var response = await hub.PostWebhookAsync(hub.Stripe.NewEvent("charge.refunded", Charge(intent, 1000, ("re_" + Guid.NewGuid().ToString("N")[..12], 1000, "succeeded"))));
        var report = await hub.VerifyLedgerAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(-800, await hub.FundsAsync(reader));
        Assert.True(report.Balanced, string.Join(" ", report.Problems));
        Assert.Contains(report.Warnings, w => w.Contains(LedgerAccounts.ReaderFunds(reader), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChargeDispute_CreatedThenClosedLost_ReversesOnce()
    {
        var (reader, intent) = await CreditedReaderAsync("10.00");
        var id = "dp_" + Guid.NewGuid().ToString("N")[..12];

        var created = await hub.PostWebhookAsync(hub.Stripe.NewEvent("charge.dispute.created", Dispute(id, intent, 1000, "needs_response")));
        var createdAgain = await hub.PostWebhookAsync(hub.Stripe.NewEvent("charge.dispute.created", Dispute(id, intent, 1000, "needs_response")));
        var lost = await hub.PostWebhookAsync(hub.Stripe.NewEvent("charge.dispute.closed", Dispute(id, intent, 1000, "lost")));

        Assert.Equal(["Booked", "AlreadyBooked", "AlreadyBooked"], [await OutcomeAsync(created), await OutcomeAsync(createdAgain), await OutcomeAsync(lost)]);
        Assert.Equal(0, await hub.FundsAsync(reader));
        Assert.Equal(1, await BookedAsync($"stripe:dispute:{id}"));
    }

    [Fact]
    public async Task ChargeDispute_ClosedLostWithoutTheCreatedEvent_Reverses()
    {
        var (reader, intent) = await CreditedReaderAsync("10.00");
        var id = "dp_" + Guid.NewGuid().ToString("N")[..12];

        var lost = await hub.PostWebhookAsync(hub.Stripe.NewEvent("charge.dispute.closed", Dispute(id, intent, 600, "lost")));

        Assert.Equal("Booked", await OutcomeAsync(lost));
        Assert.Equal(400, await hub.FundsAsync(reader));
    }

    [Fact]
    public async Task ChargeDispute_WonAfterItWasReversed_ReinstatesTheFundsOnce()
    {
        var (reader, intent) = await CreditedReaderAsync("10.00");
        var id = "dp_" + Guid.NewGuid().ToString("N")[..12];

        await hub.PostWebhookAsync(hub.Stripe.NewEvent("charge.dispute.created", Dispute(id, intent, 1000, "needs_response")));
        var afterCreated = await hub.FundsAsync(reader);
        var won = hub.Stripe.NewEvent("charge.dispute.closed", Dispute(id, intent, 1000, "won"));
        await hub.PostWebhookAsync(won);
        await hub.PostWebhookAsync(won);

        Assert.Equal(0, afterCreated);
        Assert.Equal(1000, await hub.FundsAsync(reader));
        Assert.Equal(1, await BookedAsync($"stripe:dispute:{id}:won"));
    }

    [Fact]
    public async Task ChargeDispute_Inquiry_ChangesNothing()
    {
        var (reader, intent) = await CreditedReaderAsync("10.00");

        var response = await hub.PostWebhookAsync(hub.Stripe.NewEvent("charge.dispute.created", Dispute("dp_inquiry_" + reader[..8], intent, 1000, "warning_needs_response")));

        Assert.Equal("Ignored", await OutcomeAsync(response));
        Assert.Equal(1000, await hub.FundsAsync(reader));
    }

    [Fact]
    public async Task ConnectWebhook_AccountUpdated_RereadsTheAccountFromStripeAndUpdatesTheStatus()
    {
        var person = "creator-" + Guid.NewGuid().ToString("N")[..6];
        await _world.PersonAsync(person);
        await _world.ConnectStripeAsync(person, ready: false);
        var stripeAccount = await hub.WithDbAsync(db => db.PayoutAccounts.Where(a => a.AccountId == _world.People[person]).Select(a => a.StripeAccountId).SingleAsync());
        // An old event (account not ready) arrives after Stripe enabled payouts: the Hub asks Stripe, so it is not fooled.
        var stale = hub.Stripe.AccountUpdatedEvent(stripeAccount);
        hub.Stripe.SetAccountReady(stripeAccount, ready: true);

        var response = await hub.PostWebhookAsync(stale, secret: MoneyTestKit.ConnectSecret, path: "stripe/connect-webhook");
        var stored = await hub.WithDbAsync(db => db.PayoutAccounts.AsNoTracking().SingleAsync(a => a.StripeAccountId == stripeAccount));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Updated", await OutcomeAsync(response));
        Assert.True(stored.PayoutsEnabled);
        Assert.True(stored.DetailsSubmitted);
        Assert.Contains(hub.Stripe.Requests, r => r.Method == "GET" && r.Path == $"/v1/accounts/{stripeAccount}");
    }

    [Fact]
    public async Task ConnectWebhook_SignedWithThePlatformSecret_Is400AndChangesNothing()
    {
        var person = "creator-" + Guid.NewGuid().ToString("N")[..6];
        await _world.PersonAsync(person);
        await _world.ConnectStripeAsync(person, ready: false);
        var stripeAccount = await hub.WithDbAsync(db => db.PayoutAccounts.Where(a => a.AccountId == _world.People[person]).Select(a => a.StripeAccountId).SingleAsync());
        hub.Stripe.SetAccountReady(stripeAccount, ready: true);

        var response = await hub.PostWebhookAsync(hub.Stripe.AccountUpdatedEvent(stripeAccount), secret: MoneyTestKit.PlatformSecret, path: "stripe/connect-webhook");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await hub.WithDbAsync(db => db.PayoutAccounts.Where(a => a.StripeAccountId == stripeAccount).Select(a => a.PayoutsEnabled).SingleAsync()));
    }

    [Fact]
    public async Task ConnectWebhook_UnknownAccount_Is200AndIgnored()
    {
        var json = hub.Stripe.NewEvent("account.updated", new JsonObject { ["id"] = "acct_not_ours", ["object"] = "account", ["payouts_enabled"] = true });

        var response = await hub.PostWebhookAsync(json, secret: MoneyTestKit.ConnectSecret, path: "stripe/connect-webhook");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Ignored", await OutcomeAsync(response));
    }
}

public sealed class StripeWebhookSqliteTests(SqlitePayoutHubFixture hub) : StripeWebhookTests(hub), IClassFixture<SqlitePayoutHubFixture>;

public sealed class StripeWebhookPostgresTests(PostgresPayoutHubFixture hub) : StripeWebhookTests(hub), IClassFixture<PostgresPayoutHubFixture>;
