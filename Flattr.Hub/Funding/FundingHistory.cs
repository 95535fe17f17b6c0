using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Funding;

/// <summary>One movement of a reader's funds, as the reader sees it: positive adds, negative takes away.</summary>
/// <param name="At">When it was booked.</param>
/// <param name="Kind">The ledger kind, such as <c>funding.stripe</c>.</param>
/// <param name="Reference">The ledger reference.</param>
/// <param name="Description">The booking's description (an admin's reason, a Stripe id, the period).</param>
/// <param name="Amount">The change to the funds, in minor units.</param>
public sealed record FundsMovement(DateTimeOffset At, string Kind, string Reference, string? Description, long Amount)
{
    /// <summary>What the kind means, in words.</summary>
    public string Label => FundingKinds.Label(Kind);
}

/// <summary>Names of the ledger kinds that move readers' funds.</summary>
public static class FundingKinds
{
    public const string Prefix = "funding.";

    public static string Label(string kind) => kind switch
    {
        "funding.stripe" => "Card payment (Stripe)",
        "funding.manual" => "Credited by the Hub",
        "funding.refund" => "Refund",
        "funding.refund-failed" => "Failed refund, funds back",
        "funding.dispute" => "Disputed payment",
        "funding.dispute-won" => "Dispute won, funds back",
        "payout.commit" => "Monthly budget given",
        _ => kind,
    };
}

/// <summary>Reads the ledger's movements of readers' funds.</summary>
public static class FundingHistory
{
    /// <summary>The latest movements of one reader's funds, newest first.</summary>
    public static async Task<IReadOnlyList<FundsMovement>> ForReaderAsync(HubDbContext db, string readerId, int limit, CancellationToken cancellationToken)
    {
        var account = LedgerAccounts.ReaderFunds(readerId);
        return await db.LedgerEntries.AsNoTracking()
            .Where(e => e.Account == account)
            .OrderByDescending(e => e.Transaction.At).ThenByDescending(e => e.Id)
            .Take(limit)
            .Select(e => new FundsMovement(e.Transaction.At, e.Transaction.Kind, e.Transaction.Reference, e.Transaction.Description, -e.Amount))
            .ToListAsync(cancellationToken);
    }
}
