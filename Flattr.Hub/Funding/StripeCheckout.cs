namespace Flattr.Hub.Funding;

/// <summary>Where a reader's Stripe Checkout stands.</summary>
public enum StripeCheckoutState
{
    /// <summary>The session was created and the reader sent to Stripe; nothing is paid yet.</summary>
    Open,

    /// <summary>Stripe reported the payment (signed <c>checkout.session.completed</c>); the funds are credited.</summary>
    Credited,
}

/// <summary>
/// A Stripe Checkout session a reader started to add funds. Saved when the session is created, completed when the signed
/// webhook credits it. The payment intent recorded then is how later refunds and disputes (which name a charge and its
/// payment intent, not the session) find the reader whose funds they reverse.
/// </summary>
public sealed class StripeCheckout
{
    /// <summary>Stripe's checkout session id (<c>cs_…</c>).</summary>
    public required string SessionId { get; set; }

    public required string ReaderId { get; set; }

    /// <summary>The amount asked for, in minor units; the credited amount is the session's <c>amount_total</c>.</summary>
    public long Amount { get; set; }

    public required string Currency { get; set; }

    public StripeCheckoutState State { get; set; }

    /// <summary>The session's payment intent (<c>pi_…</c>), recorded when it is credited; unique.</summary>
    public string? PaymentIntentId { get; set; }

    public long? AmountCredited { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CreditedAt { get; set; }
}
