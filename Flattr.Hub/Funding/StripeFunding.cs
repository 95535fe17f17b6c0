using Flattr.Hub.Clicks;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Ledger;
using Flattr.Hub.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace Flattr.Hub.Funding;

/// <summary>What a webhook event did.</summary>
public enum WebhookOutcome
{
    /// <summary>Money was booked on a reader's funds (a credit, or a reversal of one).</summary>
    Booked,

    /// <summary>The event was booked before (a redelivery); nothing changed.</summary>
    AlreadyBooked,

    /// <summary>A connected account's status was updated.</summary>
    Updated,

    /// <summary>The event needs nothing from this Hub (another type, an unpaid session, a charge that is not a Flattr checkout).</summary>
    Ignored,
}

/// <summary>The outcome of one event, for the webhook's answer and the log.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Detail">Why, in a sentence.</param>
public sealed record WebhookResult(WebhookOutcome Outcome, string Detail)
{
    /// <summary>True when an admin should look at it (money Stripe took that the Hub cannot book).</summary>
    public bool NeedsAttention { get; init; }
}

/// <summary>
/// Funding through Stripe Checkout. A reader starts a checkout here; the money is credited ONLY when Stripe's signed
/// <c>checkout.session.completed</c> webhook reports it paid, booked with the reference <c>stripe:checkout:{session}</c>,
/// whose unique index makes every redelivery, concurrent or not, a no-op. Refunds and lost disputes reverse credited
/// money (one reference per refund or dispute); the reader's funds may go below zero, which the ledger verifier reports.
/// </summary>
public sealed class StripeFunding(
    HubDbContext db,
    LedgerService ledger,
    TimeProvider time,
    IOptions<HubOptions> hubOptions,
    IServiceProvider services,
    ILogger<StripeFunding> logger)
{
    /// <summary>The metadata key that carries the reader's account id on sessions and payment intents.</summary>
    public const string ReaderMetadataKey = "flattr_reader";

    /// <summary>Stripe's largest amount for a single payment is eight digits in minor units.</summary>
    public const long MaxCheckoutAmount = 99_999_999;

    private const string Actor = "stripe";

    private StripeClient? Client => services.GetService<StripeClient>();

    /// <summary>True when a Stripe secret key is configured, so readers can pay by card.</summary>
    public bool Enabled => Client is not null;

    /// <summary>
    /// Creates a Checkout session for <paramref name="amountText"/> (at least the minimum monthly budget) and records it;
    /// returns the address at Stripe to send the reader to. Nothing is credited here.
    /// </summary>
    public async Task<Uri> StartCheckoutAsync(string readerId, string? email, string amountText, CancellationToken cancellationToken)
    {
        var client = Client ?? throw new HubValidationException("amount", "Card payments are not set up on this Hub; an admin credits funds instead.");
        var hub = hubOptions.Value;
        var currency = hub.SettlementCurrency;
        var minimum = hub.MinimumBudget;
        if (!Money.TryParse(amountText?.Trim() ?? string.Empty, currency, out var amount) || amount < minimum || amount.MinorUnits > MaxCheckoutAmount)
        {
            throw new HubValidationException("amount",
                $"Enter an amount in {currency.Code} of at least {minimum} (the minimum monthly budget) and at most {new Money(MaxCheckoutAmount, currency)}, such as {Accounts.BudgetText.Format(minimum)}.");
        }

        var funding = new Uri(hub.PublicUrl, "Funding");
        var options = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = readerId,
            CustomerEmail = email,
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = currency.Code.ToLowerInvariant(),
                        UnitAmount = amount.MinorUnits,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = "Flattr funds" },
                    },
                },
            ],
            Metadata = new Dictionary<string, string> { [ReaderMetadataKey] = readerId },
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string> { [ReaderMetadataKey] = readerId } },
            // Stripe fills in {CHECKOUT_SESSION_ID}; the page only uses it to say the payment is being confirmed.
            SuccessUrl = funding.AbsoluteUri + "?checkout=success&session_id={CHECKOUT_SESSION_ID}",
            CancelUrl = funding.AbsoluteUri + "?checkout=cancelled",
        };

        Session session;
        try
        {
            session = await new SessionService(client).CreateAsync(options, cancellationToken: cancellationToken);
        }
        catch (StripeException e)
        {
            Log.StripeCallFailed(logger, "creating a checkout session", e.StripeError?.Message ?? e.Message);
            throw new HubValidationException("amount", "Stripe could not start the payment right now; nothing was charged. Please try again in a moment.");
        }

        db.StripeCheckouts.Add(new StripeCheckout
        {
            SessionId = session.Id,
            ReaderId = readerId,
            Amount = amount.MinorUnits,
            Currency = currency.Code,
            State = StripeCheckoutState.Open,
            CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        Log.CheckoutCreated(logger, readerId, session.Id, amount.MinorUnits);
        return new Uri(session.Url);
    }

    /// <summary>Acts on a verified event from the platform endpoint.</summary>
    public async Task<WebhookResult> HandlePlatformEventAsync(Event stripeEvent, CancellationToken cancellationToken)
    {
        var result = (stripeEvent.Type, stripeEvent.Data?.Object) switch
        {
            (EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded, Session session) =>
                await CreditCheckoutAsync(session, cancellationToken),
            (EventTypes.ChargeRefunded, Charge charge) => await ReverseRefundsAsync(charge, cancellationToken),
            (EventTypes.ChargeRefundUpdated, Refund refund) => await ReinstateFailedRefundAsync(refund, cancellationToken),
            (EventTypes.ChargeDisputeCreated or EventTypes.ChargeDisputeClosed, Dispute dispute) =>
                await DisputeAsync(dispute, closed: stripeEvent.Type == EventTypes.ChargeDisputeClosed, cancellationToken),
            _ => new WebhookResult(WebhookOutcome.Ignored, $"{stripeEvent.Type} is not an event this Hub acts on."),
        };
        LogResult(stripeEvent, result);
        return result;
    }

    /// <summary>
    /// Acts on a verified event from the Connect endpoint: <c>account.updated</c> refreshes the connected account's
    /// status. The account is re-read from Stripe rather than taken from the event: events arrive in no particular
    /// order and are retried for days, so an old event must not undo a newer status; what Stripe says now is the truth.
    /// </summary>
    public async Task<WebhookResult> HandleConnectEventAsync(Event stripeEvent, CancellationToken cancellationToken)
    {
        WebhookResult result;
        if (stripeEvent.Type != EventTypes.AccountUpdated || stripeEvent.Data?.Object is not Account reported)
        {
            result = new WebhookResult(WebhookOutcome.Ignored, $"{stripeEvent.Type} is not an event this Hub acts on.");
        }
        else if (await db.PayoutAccounts.SingleOrDefaultAsync(a => a.StripeAccountId == reported.Id, cancellationToken) is not { } stored)
        {
            result = new WebhookResult(WebhookOutcome.Ignored, $"{reported.Id} is not connected to an account of this Hub.");
        }
        else
        {
            var client = Client ?? throw new InvalidOperationException("The Connect webhook ran without a Stripe client.");
            var current = await new AccountService(client).GetAsync(reported.Id, cancellationToken: cancellationToken);
            ApplyStatus(stored, current, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            Log.PayoutAccountUpdated(logger, stored.StripeAccountId, stored.AccountId, stored.PayoutsEnabled, stored.DetailsSubmitted, "account.updated");
            result = new WebhookResult(WebhookOutcome.Updated,
                $"{stored.StripeAccountId}: payouts {(stored.PayoutsEnabled ? "enabled" : "not enabled")}, details {(stored.DetailsSubmitted ? "submitted" : "not submitted")}.");
        }

        LogResult(stripeEvent, result);
        return result;
    }

    /// <summary>
    /// Copies Stripe's view of a connected account onto the Hub's record. Payouts count as enabled only when Stripe
    /// enabled them and the <c>transfers</c> capability is active, because a payout run needs both.
    /// </summary>
    public static void ApplyStatus(PayoutAccount stored, Account account, DateTimeOffset now)
    {
        stored.PayoutsEnabled = account.PayoutsEnabled && (account.Capabilities?.Transfers is null or "active");
        stored.DetailsSubmitted = account.DetailsSubmitted;
        stored.UpdatedAt = now;
    }

    /// <summary>The Stripe reference of a checkout credit.</summary>
    public static string CheckoutReference(string sessionId) => $"stripe:checkout:{sessionId}";

    private async Task<WebhookResult> CreditCheckoutAsync(Session session, CancellationToken cancellationToken)
    {
        var reference = CheckoutReference(session.Id);
        if (session.PaymentStatus != "paid")
        {
            // Delayed payment methods (SEPA debit, bank transfer) complete the session before the money arrives; Stripe
            // then sends checkout.session.async_payment_succeeded, which is credited under the same reference.
            return new WebhookResult(WebhookOutcome.Ignored, $"Session {session.Id} is {session.PaymentStatus}, not paid; it is credited when the payment succeeds.");
        }

        var readerId = session.ClientReferenceId ?? session.Metadata?.GetValueOrDefault(ReaderMetadataKey);
        if (string.IsNullOrEmpty(readerId))
        {
            return new WebhookResult(WebhookOutcome.Ignored, $"Session {session.Id} was not started by this Hub (no reader).");
        }

        var currency = hubOptions.Value.SettlementCurrency.Code;
        var amount = session.AmountTotal ?? 0;
        if (!string.Equals(session.Currency, currency, StringComparison.OrdinalIgnoreCase) || amount <= 0)
        {
            // REVIEW: money Stripe received that the ledger cannot hold (another currency) needs an admin; it is logged, not booked.
            return Unmatched($"Session {session.Id} is for {amount} {session.Currency}; this Hub books {currency} only.");
        }

        if (await ledger.IsBookedAsync(reference, cancellationToken))
        {
            return new WebhookResult(WebhookOutcome.AlreadyBooked, $"{reference} is booked already.");
        }

        var checkout = await db.StripeCheckouts.SingleOrDefaultAsync(c => c.SessionId == session.Id, cancellationToken);
        if (checkout is null && !await db.Users.AnyAsync(u => u.Id == readerId, cancellationToken))
        {
            // REVIEW: a paid session for an account that no longer exists needs a refund by an admin at Stripe.
            return Unmatched($"Session {session.Id} names reader {readerId}, who has no account here.");
        }

        if (checkout is not null && checkout.ReaderId != readerId)
        {
            return Unmatched($"Session {session.Id} names reader {readerId} but was started by {checkout.ReaderId}.");
        }

        var now = time.GetUtcNow();
        var booked = await BookOnceAsync(
            "funding.stripe", reference, $"Card payment, Stripe Checkout {session.Id}",
            () =>
            {
                if (checkout is null)
                {
                    // Paid before the Hub recorded the session (it crashed in between): the signed event is enough.
                    checkout = new StripeCheckout { SessionId = session.Id, ReaderId = readerId, Amount = amount, Currency = currency, CreatedAt = now };
                    db.StripeCheckouts.Add(checkout);
                }

                checkout.State = StripeCheckoutState.Credited;
                checkout.PaymentIntentId = session.PaymentIntentId;
                checkout.AmountCredited = amount;
                checkout.CreditedAt = now;
            },
            cancellationToken,
            (LedgerAccounts.StripeClearing, amount), (LedgerAccounts.ReaderFunds(readerId), -amount));
        if (!booked)
        {
            return new WebhookResult(WebhookOutcome.AlreadyBooked, $"{reference} was booked by a concurrent delivery.");
        }

        Log.FundsBooked(logger, reference, "funding.stripe", readerId, amount);
        return new WebhookResult(WebhookOutcome.Booked, $"Credited {new Money(amount, Currency.FromCode(currency))} to reader {readerId}.");
    }

    private async Task<WebhookResult> ReverseRefundsAsync(Charge charge, CancellationToken cancellationToken)
    {
        if (await FindCheckoutAsync(charge.PaymentIntentId, cancellationToken) is not { } checkout)
        {
            return new WebhookResult(WebhookOutcome.Ignored, $"Charge {charge.Id} is not a credited Flattr checkout.");
        }

        var refunds = charge.Refunds?.Data ?? [];
        if (refunds.Count == 0 && charge.AmountRefunded > 0 && Client is { } client)
        {
            // Since API version 2022-11-15 a charge in an event no longer lists its refunds; ask for them.
            refunds = [];
            await foreach (var refund in new RefundService(client).ListAutoPagingAsync(new RefundListOptions { Charge = charge.Id, Limit = 100 }, cancellationToken: cancellationToken))
            {
                refunds.Add(refund);
            }
        }

        long reversed = 0;
        var count = 0;
        foreach (var refund in refunds.Where(r => r.Status is "succeeded" or "pending" && r.Amount > 0))
        {
            var reference = $"stripe:refund:{refund.Id}";
            if (await BookOnceAsync("funding.refund", reference, $"Refund {refund.Id} of charge {charge.Id}", null, cancellationToken,
                    (LedgerAccounts.ReaderFunds(checkout.ReaderId), refund.Amount), (LedgerAccounts.StripeClearing, -refund.Amount)))
            {
                Log.FundsBooked(logger, reference, "funding.refund", checkout.ReaderId, -refund.Amount);
                reversed += refund.Amount;
                count++;
            }
        }

        return count > 0
            ? new WebhookResult(WebhookOutcome.Booked, $"Reversed {count} refund(s), {reversed} minor units, from reader {checkout.ReaderId}.")
            : new WebhookResult(WebhookOutcome.AlreadyBooked, $"Every refund of charge {charge.Id} is booked already.");
    }

    private async Task<WebhookResult> ReinstateFailedRefundAsync(Refund refund, CancellationToken cancellationToken)
    {
        var reference = $"stripe:refund:{refund.Id}";
        if (refund.Status is not ("failed" or "canceled") || !await ledger.IsBookedAsync(reference, cancellationToken))
        {
            return new WebhookResult(WebhookOutcome.Ignored, $"Refund {refund.Id} is {refund.Status}; nothing to reinstate.");
        }

        if (await FindCheckoutAsync(refund.PaymentIntentId, cancellationToken) is not { } checkout)
        {
            return new WebhookResult(WebhookOutcome.Ignored, $"Refund {refund.Id} is not of a Flattr checkout.");
        }

        var booked = await BookOnceAsync("funding.refund-failed", reference + ":failed", $"Refund {refund.Id} {refund.Status}; funds reinstated", null, cancellationToken,
            (LedgerAccounts.StripeClearing, refund.Amount), (LedgerAccounts.ReaderFunds(checkout.ReaderId), -refund.Amount));
        return booked
            ? new WebhookResult(WebhookOutcome.Booked, $"Refund {refund.Id} {refund.Status}: reinstated {refund.Amount} minor units.")
            : new WebhookResult(WebhookOutcome.AlreadyBooked, $"Refund {refund.Id} was reinstated already.");
    }

    private async Task<WebhookResult> DisputeAsync(Dispute dispute, bool closed, CancellationToken cancellationToken)
    {
        if (await FindCheckoutAsync(dispute.PaymentIntentId, cancellationToken) is not { } checkout)
        {
            return new WebhookResult(WebhookOutcome.Ignored, $"Dispute {dispute.Id} is not about a credited Flattr checkout.");
        }

        var reference = $"stripe:dispute:{dispute.Id}";
        var status = dispute.Status ?? string.Empty;
        if (!closed && status.StartsWith("warning_", StringComparison.Ordinal))
        {
            return new WebhookResult(WebhookOutcome.Ignored, $"Dispute {dispute.Id} is an inquiry ({status}); no money was withdrawn.");
        }

        if (!closed || status == "lost")
        {
            // Opened (Stripe withdraws the amount at once) or lost: one reversal per dispute, whichever event comes first.
            var reversed = await BookOnceAsync("funding.dispute", reference, $"Dispute {dispute.Id} ({status}) of charge {dispute.ChargeId}", null, cancellationToken,
                (LedgerAccounts.ReaderFunds(checkout.ReaderId), dispute.Amount), (LedgerAccounts.StripeClearing, -dispute.Amount));
            if (reversed)
            {
                Log.FundsBooked(logger, reference, "funding.dispute", checkout.ReaderId, -dispute.Amount);
            }

            return reversed
                ? new WebhookResult(WebhookOutcome.Booked, $"Reversed {dispute.Amount} minor units of disputed charge {dispute.ChargeId} from reader {checkout.ReaderId}.")
                : new WebhookResult(WebhookOutcome.AlreadyBooked, $"{reference} is booked already.");
        }

        if (status is "won" or "prevented" or "warning_closed" && await ledger.IsBookedAsync(reference, cancellationToken))
        {
            // Won: Stripe returns the withdrawn amount, so the reader gets their funds back.
            var reinstated = await BookOnceAsync("funding.dispute-won", reference + ":won", $"Dispute {dispute.Id} {status}; funds reinstated", null, cancellationToken,
                (LedgerAccounts.StripeClearing, dispute.Amount), (LedgerAccounts.ReaderFunds(checkout.ReaderId), -dispute.Amount));
            return reinstated
                ? new WebhookResult(WebhookOutcome.Booked, $"Dispute {dispute.Id} {status}: reinstated {dispute.Amount} minor units.")
                : new WebhookResult(WebhookOutcome.AlreadyBooked, $"Dispute {dispute.Id} was reinstated already.");
        }

        return new WebhookResult(WebhookOutcome.Ignored, $"Dispute {dispute.Id} closed as {status}; nothing was reversed, so nothing changes.");
    }

    private Task<StripeCheckout?> FindCheckoutAsync(string? paymentIntentId, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(paymentIntentId)
            ? Task.FromResult<StripeCheckout?>(null)
            : db.StripeCheckouts.AsNoTracking().SingleOrDefaultAsync(c => c.PaymentIntentId == paymentIntentId && c.State == StripeCheckoutState.Credited, cancellationToken);

    /// <summary>
    /// Books one transaction (plus whatever <paramref name="alongside"/> changes) in its own database transaction, unless
    /// its reference is booked already. Two deliveries racing past the look-up are settled by the unique index on the
    /// reference: the loser's insert fails, everything it did is rolled back, and false is returned.
    /// </summary>
    private async Task<bool> BookOnceAsync(
        string kind, string reference, string description, Action? alongside, CancellationToken cancellationToken, params (string Account, long Amount)[] entries)
    {
        if (await ledger.IsBookedAsync(reference, cancellationToken))
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        alongside?.Invoke();
        ledger.Book(kind, reference, Actor, description, entries);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (ClickRecorder.IsUniqueViolation(e))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private static WebhookResult Unmatched(string reason) => new(WebhookOutcome.Ignored, reason) { NeedsAttention = true };

    private void LogResult(Event stripeEvent, WebhookResult result)
    {
        switch (result.Outcome)
        {
            case WebhookOutcome.AlreadyBooked:
                Log.StripeEventAlreadyBooked(logger, stripeEvent.Id, stripeEvent.Type, result.Detail);
                break;
            case WebhookOutcome.Ignored when result.NeedsAttention:
                Log.StripeEventUnmatched(logger, stripeEvent.Id, stripeEvent.Type, result.Detail);
                break;
            case WebhookOutcome.Ignored:
                Log.StripeEventIgnored(logger, stripeEvent.Id, stripeEvent.Type, result.Detail);
                break;
            default:
                break;
        }
    }
}
