namespace Flattr.Hub.Ledger;

/// <summary>
/// One balanced movement of money: its entries sum to exactly zero. The reference is unique, so the same real-world
/// event (a Stripe checkout, a payout line) can never be booked twice, however often it is reported.
/// </summary>
public sealed class LedgerTransaction
{
    public long Id { get; set; }

    /// <summary>What happened, for example <c>funding.stripe</c>, <c>payout.commit</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>Unique key of the event this books, for example <c>stripe:checkout:cs_123</c>.</summary>
    public required string Reference { get; set; }

    public string? Description { get; set; }

    /// <summary>Who caused it: an account id, <c>cli</c>, <c>stripe</c> or <c>payout-run</c>.</summary>
    public required string Actor { get; set; }

    public DateTimeOffset At { get; set; }

    public List<LedgerEntry> Entries { get; set; } = [];
}

/// <summary>
/// One side of a transaction on one ledger account. Positive amounts are debits, negative are credits; money the Hub
/// holds for someone (reader funds, creator earnings) therefore has a negative raw balance and is shown negated.
/// </summary>
public sealed class LedgerEntry
{
    public long Id { get; set; }

    public long TransactionId { get; set; }

    public LedgerTransaction Transaction { get; set; } = null!;

    public required string Account { get; set; }

    public long Amount { get; set; }

    public required string Currency { get; set; }
}

/// <summary>The ledger's accounts. Names are paths so that a prefix selects a family (all readers' funds, say).</summary>
public static class LedgerAccounts
{
    /// <summary>A reader's unspent funds (owed to the reader).</summary>
    public static string ReaderFunds(string readerId) => ReaderFundsPrefix + readerId + ReaderFundsSuffix;

    /// <summary>What a creator (as an installation names it) has earned and not yet been paid.</summary>
    public static string CreatorEarnings(long creatorId) => $"creator/{creatorId}/earned";

    /// <summary>The platform's fees.</summary>
    public const string PlatformFees = "platform/fees";

    /// <summary>Money held at Stripe for the platform: reader payments in, transfers to creators out.</summary>
    public const string StripeClearing = "stripe/clearing";

    /// <summary>Money received outside Stripe (bank transfers, vouchers) that an admin credited.</summary>
    public const string ManualReceipts = "manual/receipts";

    /// <summary>Money paid to creators outside Stripe (manual payout mode).</summary>
    public const string ManualPayouts = "manual/payouts";

    /// <summary>Transfers started at Stripe but not yet confirmed; non-zero only while a payout run is executing or after a crash.</summary>
    public const string TransfersInFlight = "stripe/transfers-in-flight";

    public const string ReaderFundsPrefix = "reader/";

    /// <summary>What follows the reader's id in <see cref="ReaderFunds"/>; set-based SQL builds the name from the two parts.</summary>
    public const string ReaderFundsSuffix = "/funds";
    public const string CreatorEarningsPrefix = "creator/";
}
