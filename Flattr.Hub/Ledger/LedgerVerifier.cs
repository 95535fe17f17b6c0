using Flattr.Hub.Infrastructure.Database;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Ledger;

/// <summary>What <c>ledger verify</c> found.</summary>
public sealed record LedgerReport(
    int Transactions,
    int Accounts,
    long TotalOfAllEntries,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Warnings)
{
    public bool Balanced => Problems.Count == 0;
}

/// <summary>
/// Proves the ledger is consistent: every transaction sums to zero, the whole ledger sums to zero, and no account
/// that holds money for someone is overdrawn except where a reversal (refund, dispute) made it so, which is reported.
/// Runs from <c>Flattr.Hub ledger verify</c> and at the start and end of every payout run.
/// </summary>
public sealed class LedgerVerifier(HubDbContext db)
{
    public async Task<LedgerReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var warnings = new List<string>();

        var unbalanced = await db.LedgerEntries
            .GroupBy(e => e.TransactionId)
            .Select(g => new { Transaction = g.Key, Sum = g.Sum(e => e.Amount), Count = g.Count() })
            .Where(g => g.Sum != 0 || g.Count < 2)
            .ToListAsync(cancellationToken);
        problems.AddRange(unbalanced.Select(u => $"transaction {u.Transaction} does not balance: its {u.Count} entries sum to {u.Sum}."));

        var empty = await db.LedgerTransactions.Where(t => !t.Entries.Any()).Select(t => t.Reference).ToListAsync(cancellationToken);
        problems.AddRange(empty.Select(r => $"transaction {r} has no entries."));

        var currencies = await db.LedgerEntries.Select(e => e.Currency).Distinct().ToListAsync(cancellationToken);
        if (currencies.Count > 1)
        {
            problems.Add($"the ledger mixes currencies: {string.Join(", ", currencies)}.");
        }

        var balances = await db.LedgerEntries.GroupBy(e => e.Account)
            .Select(g => new { Account = g.Key, Raw = g.Sum(e => e.Amount) })
            .ToListAsync(cancellationToken);
        long total = 0;
        foreach (var balance in balances)
        {
            total += balance.Raw;
            var held = -balance.Raw;
            if (balance.Account.StartsWith(LedgerAccounts.CreatorEarningsPrefix, StringComparison.Ordinal) && held < 0)
            {
                problems.Add($"{balance.Account} is overdrawn by {-held}: a creator was paid more than they earned.");
            }
            else if (balance.Account.StartsWith(LedgerAccounts.ReaderFundsPrefix, StringComparison.Ordinal) && held < 0)
            {
                warnings.Add($"{balance.Account} is {-held} below zero after a refund or dispute; the reader owes it.");
            }
            else if (balance.Account == LedgerAccounts.PlatformFees && held < 0)
            {
                problems.Add($"{LedgerAccounts.PlatformFees} is negative ({held}).");
            }
        }

        if (total != 0)
        {
            problems.Add($"the ledger as a whole sums to {total}, not zero.");
        }

        var transactions = await db.LedgerTransactions.CountAsync(cancellationToken);
        return new LedgerReport(transactions, balances.Count, total, problems, warnings);
    }
}
