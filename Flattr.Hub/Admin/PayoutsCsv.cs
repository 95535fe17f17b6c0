using System.Globalization;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Payouts;
using Microsoft.EntityFrameworkCore;
using nietras.SeparatedValues;

namespace Flattr.Hub.Admin;

/// <summary>
/// The CSV export of a run's lines for review (RFC 4180, header row, UTF-8): one row per line with its amount in minor
/// units and as text, its state, reason and Stripe transfer id. Written with Sep, the CSV library the Hub already uses
/// for <c>payouts simulate</c>, so there is one CSV dependency.
/// </summary>
public static class PayoutsCsv
{
    public static readonly string[] Header =
        ["line", "payee", "email", "amount_minor_units", "amount", "currency", "state", "reason", "stripe_transfer_id", "destination", "attempts", "updated_at"];

    public static async Task<string> WriteAsync(HubDbContext db, PayoutRun run, CancellationToken cancellationToken)
    {
        var lines = await db.PayoutLines.AsNoTracking().Where(l => l.RunId == run.Id).OrderBy(l => l.Id).ToListAsync(cancellationToken);
        var payees = lines.Select(l => l.PayeeId).Distinct().ToList();
        var emails = await db.Users.AsNoTracking().Where(u => payees.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        var currency = Currency.FromCode(run.Currency);

        using var writer = Sep.New(',').Writer(o => o with { Escape = true, CultureInfo = CultureInfo.InvariantCulture }).ToText();
        foreach (var line in lines)
        {
            await using var row = writer.NewRow(cancellationToken);
            row["line"].Format(line.Id);
            row["payee"].Set(line.PayeeId);
            row["email"].Set(emails.GetValueOrDefault(line.PayeeId) ?? string.Empty);
            row["amount_minor_units"].Format(line.Amount);
            row["amount"].Set(Accounts.BudgetText.Format(line.Amount, currency));
            row["currency"].Set(currency.Code);
            row["state"].Set(line.State.ToString());
            row["reason"].Set(line.Reason ?? string.Empty);
            row["stripe_transfer_id"].Set(line.StripeTransferId ?? string.Empty);
            row["destination"].Set(line.Destination ?? string.Empty);
            row["attempts"].Format(line.Attempts);
            row["updated_at"].Set(line.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        if (lines.Count == 0)
        {
            // Sep writes the header with the first row; an empty run still gets its header.
            return string.Join(',', Header) + "\n";
        }

        return writer.ToString();
    }
}
