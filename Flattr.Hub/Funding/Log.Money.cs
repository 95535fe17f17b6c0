namespace Flattr.Hub;

/// <summary>
/// Log messages of funding, Stripe webhooks, creator onboarding, the payout admin pages and the demo seed: event ids
/// 300–399. Account ids and Stripe ids are logged; emails, names, keys and signatures never are.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 300, EventName = "CheckoutCreated", Level = LogLevel.Information,
        Message = "Reader {ReaderId} started Stripe Checkout {SessionId} for {Amount} minor units")]
    public static partial void CheckoutCreated(ILogger logger, string readerId, string sessionId, long amount);

    [LoggerMessage(EventId = 301, EventName = "StripeWebhookRefused", Level = LogLevel.Warning,
        Message = "Refused a Stripe webhook on the {Endpoint} endpoint: {Reason}")]
    public static partial void StripeWebhookRefused(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 302, EventName = "StripeEventIgnored", Level = LogLevel.Information,
        Message = "Stripe event {EventId} ({Type}) needs nothing: {Reason}")]
    public static partial void StripeEventIgnored(ILogger logger, string eventId, string type, string reason);

    [LoggerMessage(EventId = 303, EventName = "FundsBooked", Level = LogLevel.Information,
        Message = "Booked {Reference} ({Kind}) on the funds of reader {ReaderId}: {Amount} minor units")]
    public static partial void FundsBooked(ILogger logger, string reference, string kind, string readerId, long amount);

    [LoggerMessage(EventId = 304, EventName = "StripeEventAlreadyBooked", Level = LogLevel.Information,
        Message = "Stripe event {EventId} ({Type}) was booked before ({Reference}); nothing changed")]
    public static partial void StripeEventAlreadyBooked(ILogger logger, string eventId, string type, string reference);

    [LoggerMessage(EventId = 305, EventName = "StripeEventUnmatched", Level = LogLevel.Warning,
        Message = "Stripe event {EventId} ({Type}) could not be booked: {Reason}")]
    public static partial void StripeEventUnmatched(ILogger logger, string eventId, string type, string reason);

    [LoggerMessage(EventId = 310, EventName = "PayoutAccountCreated", Level = LogLevel.Information,
        Message = "Account {AccountId} connected Stripe account {StripeAccountId}")]
    public static partial void PayoutAccountCreated(ILogger logger, string accountId, string stripeAccountId);

    [LoggerMessage(EventId = 311, EventName = "PayoutAccountUpdated", Level = LogLevel.Information,
        Message = "Stripe account {StripeAccountId} of account {AccountId}: payouts enabled {PayoutsEnabled}, details submitted {DetailsSubmitted} ({Source})")]
    public static partial void PayoutAccountUpdated(ILogger logger, string stripeAccountId, string accountId, bool payoutsEnabled, bool detailsSubmitted, string source);

    [LoggerMessage(EventId = 312, EventName = "StripeCallFailed", Level = LogLevel.Warning,
        Message = "Stripe refused or failed {Operation}: {Message}")]
    public static partial void StripeCallFailed(ILogger logger, string operation, string message);

    [LoggerMessage(EventId = 320, EventName = "PayoutExecutedFromAdmin", Level = LogLevel.Information,
        Message = "{Actor} executed payout run {RunId}: {State}, {Sent} sent, {Failed} failed, {Held} held, {AwaitingManual} awaiting manual payment")]
    public static partial void PayoutExecutedFromAdmin(ILogger logger, string actor, Guid runId, Payouts.PayoutRunState state, int sent, int failed, int held, int awaitingManual);

    [LoggerMessage(EventId = 330, EventName = "DemoSeeded", Level = LogLevel.Information,
        Message = "Seeded a demo month {Period} with seed {Seed}: {Readers} readers, {Creators} creators, {Clicks} clicks")]
    public static partial void DemoSeeded(ILogger logger, string period, int seed, int readers, int creators, int clicks);
}
