using Flattr.Hub.Infrastructure.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Ledger;

/// <summary>Books balanced transactions and reads balances. Balances are always derived from the entries.</summary>
public sealed class LedgerService(HubDbContext db, TimeProvider time, IOptions<HubOptions> options)
{
    private string Currency => options.Value.SettlementCurrency.Code;

    /// <summary>
    /// Adds a balanced transaction to the context (saved with the caller's next SaveChanges, in the caller's
    /// transaction). Throws when the entries do not sum to zero or an amount is zero.
    /// </summary>
    public LedgerTransaction Book(string kind, string reference, string actor, string? description, params (string Account, long Amount)[] entries)
    {
        if (entries.Length < 2 || entries.Any(e => e.Amount == 0) || !SumsToZero(entries))
        {
            throw new InvalidOperationException($"Ledger transaction {reference} is not balanced: {string.Join(", ", entries.Select(e => $"{e.Account} {e.Amount}"))}.");
        }

        return Add(kind, reference, actor, description, entries);
    }

    /// <summary>
    /// Books a transaction with more entries than should pass through this process (a payout run's debit of a million
    /// readers): <paramref name="entries"/> are added here, <paramref name="addEntriesAsync"/> inserts the rest in SQL
    /// given the saved transaction's id and the currency, and the stored entries are then required to balance. Runs in
    /// the caller's database transaction; throws, leaving the caller to roll back, when they do not.
    /// </summary>
    public async Task<LedgerTransaction> BookInBulkAsync(
        string kind, string reference, string actor, string? description, (string Account, long Amount)[] entries,
        Func<long, string, Task> addEntriesAsync, CancellationToken cancellationToken)
    {
        if (entries.Any(e => e.Amount == 0))
        {
            throw new InvalidOperationException($"Ledger transaction {reference} has an entry of zero.");
        }

        var transaction = Add(kind, reference, actor, description, entries);
        await db.SaveChangesAsync(cancellationToken);
        await addEntriesAsync(transaction.Id, Currency);

        var stored = db.LedgerEntries.Where(e => e.TransactionId == transaction.Id);
        var count = await stored.CountAsync(cancellationToken);
        // Both databases raise an error rather than wrap when a sum of bigints overflows.
        var sum = await stored.SumAsync(e => e.Amount, cancellationToken);
        if (count < 2 || sum != 0 || await stored.AnyAsync(e => e.Amount == 0, cancellationToken))
        {
            throw new InvalidOperationException($"Ledger transaction {reference} is not balanced: {count} entries summing to {sum}; nothing was booked.");
        }

        return transaction;
    }

    private LedgerTransaction Add(string kind, string reference, string actor, string? description, (string Account, long Amount)[] entries)
    {
        var transaction = new LedgerTransaction
        {
            Kind = kind,
            Reference = reference,
            Actor = actor,
            Description = description,
            At = time.GetUtcNow(),
            Entries = [.. entries.Select(e => new LedgerEntry { Account = e.Account, Amount = e.Amount, Currency = Currency })],
        };
        db.LedgerTransactions.Add(transaction);
        return transaction;
    }

    private static bool SumsToZero((string Account, long Amount)[] entries)
    {
        Int128 sum = 0;
        foreach (var (_, amount) in entries)
        {
            sum += amount;
        }

        return sum == 0;
    }

    /// <summary>True when a transaction with this reference is already booked (saved).</summary>
    public Task<bool> IsBookedAsync(string reference, CancellationToken cancellationToken) =>
        db.LedgerTransactions.AnyAsync(t => t.Reference == reference, cancellationToken);

    /// <summary>The raw balance of one account (debits positive).</summary>
    public async Task<long> RawBalanceAsync(string account, CancellationToken cancellationToken) =>
        await db.LedgerEntries.Where(e => e.Account == account).SumAsync(e => (long?)e.Amount, cancellationToken) ?? 0;

    /// <summary>What the Hub holds for a reader (their unspent funds), in minor units.</summary>
    public async Task<long> ReaderFundsAsync(string readerId, CancellationToken cancellationToken) =>
        -await RawBalanceAsync(LedgerAccounts.ReaderFunds(readerId), cancellationToken);

    /// <summary>Held-for balances of every account under a prefix, keyed by account (negated raw balance).</summary>
    public async Task<Dictionary<string, long>> HeldBalancesAsync(string prefix, CancellationToken cancellationToken) =>
        await db.LedgerEntries.Where(e => e.Account.StartsWith(prefix))
            .GroupBy(e => e.Account)
            .Select(g => new { Account = g.Key, Balance = -g.Sum(e => e.Amount) })
            .ToDictionaryAsync(x => x.Account, x => x.Balance, StringComparer.Ordinal, cancellationToken);
}
