using Flattr.Hub.Admin;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Funding;

/// <summary>Adds money to readers' funds: from Stripe checkouts, or credited by an admin (bank transfer, voucher).</summary>
public sealed class FundingService(HubDbContext db, LedgerService ledger, TimeProvider time, IOptions<HubOptions> options)
{
    /// <summary>An admin credits a reader's funds; the reason is required and the credit is audited.</summary>
    public async Task<LedgerTransaction> CreditManuallyAsync(string readerEmailOrId, string amountText, string reason, string actor, CancellationToken cancellationToken)
    {
        var currency = options.Value.SettlementCurrency;
        var errors = new Dictionary<string, string[]>();
        if (!Money.TryParse(amountText, currency, out var amount) || amount.MinorUnits <= 0)
        {
            errors["amount"] = [$"The amount must be a positive amount in {currency.Code}, such as 5.00."];
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
        {
            errors["reason"] = ["A reason (such as the bank transfer reference) is required, at most 500 characters."];
        }

        var normalized = readerEmailOrId.Trim().ToUpperInvariant();
        var reader = await db.Users.SingleOrDefaultAsync(u => u.Id == readerEmailOrId || u.NormalizedEmail == normalized, cancellationToken);
        if (reader is null)
        {
            errors["reader"] = [$"There is no account '{readerEmailOrId}'."];
        }

        if (errors.Count > 0)
        {
            throw new HubValidationException(errors);
        }

        var now = time.GetUtcNow();
        var booked = ledger.Book("funding.manual", $"manual:{Guid.NewGuid():N}", actor, reason.Trim(),
            (LedgerAccounts.ManualReceipts, amount.MinorUnits), (LedgerAccounts.ReaderFunds(reader!.Id), -amount.MinorUnits));
        db.AuditEntries.Add(new AuditEntry
        {
            Actor = actor, Action = "funds.credit", Subject = reader.Id, Details = $"{amount} {reason.Trim()}", At = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return booked;
    }
}
