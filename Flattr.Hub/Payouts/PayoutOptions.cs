using System.ComponentModel.DataAnnotations;

namespace Flattr.Hub.Payouts;

/// <summary>The payout settings: <c>Hub:Payouts</c>.</summary>
public sealed class PayoutOptions
{
    public const string SectionName = "Hub:Payouts";

    /// <summary>The platform fee in basis points (1000 = 10%).</summary>
    /// <value>The default value is 1000.</value>
    [Range(0, 10_000, ErrorMessage = "Hub:Payouts:FeeBasisPoints must be between 0 and 10000.")]
    public int FeeBasisPoints { get; set; } = Flattr.Payouts.MonthlySplit.DefaultFeeBasisPoints;

    /// <summary>The smallest amount paid out, in major units; smaller balances wait for a later run.</summary>
    /// <value>The default value is 10.00.</value>
    [Required]
    public string MinimumPayout { get; set; } = "10.00";

    /// <summary><c>Stripe</c> or <c>Manual</c>; when unset, Stripe if a Stripe secret key is configured, else Manual.</summary>
    [RegularExpression("^(Stripe|Manual)$", ErrorMessage = "Hub:Payouts:Mode must be Stripe or Manual.")]
    public string? Mode { get; set; }
}

/// <summary>Stripe settings: <c>Hub:Stripe</c>. Without a secret key the Hub runs with manual funding and payouts only.</summary>
public sealed class StripeOptions
{
    public const string SectionName = "Hub:Stripe";

    /// <summary>The secret API key (<c>sk_live_…</c> or <c>sk_test_…</c>). Never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The signing secret of the webhook endpoint for platform events (<c>whsec_…</c>).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The signing secret of the Connect webhook endpoint (account events).</summary>
    public string? ConnectWebhookSecret { get; set; }

    /// <summary>Another API address; only tests point this at a local Stripe double.</summary>
    public Uri? ApiBase { get; set; }

    /// <summary>The most Stripe calls per second a payout run makes (Stripe allows 100 live, 25 in test mode).</summary>
    /// <value>The default value is 20.</value>
    [Range(1, 100, ErrorMessage = "Hub:Stripe:MaxRequestsPerSecond must be between 1 and 100.")]
    public int MaxRequestsPerSecond { get; set; } = 20;

    public bool Enabled => !string.IsNullOrWhiteSpace(SecretKey);
}
