using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Flattr.Hub.Funding;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Ledger;
using Flattr.Hub.Payouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Admin;

/// <summary>A booking on a reader's funds, for the admin's list.</summary>
/// <param name="At">When.</param>
/// <param name="Kind">The ledger kind.</param>
/// <param name="ReaderId">The reader.</param>
/// <param name="Email">The reader's email.</param>
/// <param name="Amount">The change to the reader's funds.</param>
/// <param name="Actor">Who booked it: an admin's id, <c>cli</c>, <c>stripe</c>.</param>
/// <param name="Description">The reason or Stripe id.</param>
public sealed record FundingRow(DateTimeOffset At, string Kind, string ReaderId, string? Email, long Amount, string Actor, string? Description);

/// <summary>A creator's earnings that no one can be paid yet, because no account claimed the creator.</summary>
/// <param name="CreatorId">The Hub's creator id.</param>
/// <param name="Creator">The creator's name or external id.</param>
/// <param name="Site">The installation's name.</param>
/// <param name="Amount">The balance, in minor units.</param>
public sealed record UnclaimedBalance(long CreatorId, string Creator, string Site, long Amount);

/// <summary>
/// <c>/Admin/Funds</c>: credit a reader's funds received outside Stripe (with a reason, audited), the latest bookings on
/// readers' funds, and the money that waits: unclaimed creators' earnings and the held lines of the latest run.
/// </summary>
public sealed class FundsModel(
    FundingService funding,
    StripeFunding stripe,
    HubDbContext db,
    TimeProvider time,
    IOptions<HubOptions> options,
    ILogger<FundsModel> logger) : AdminPageModel(db, time, logger)
{
    public const int RecentLimit = 50;

    [BindProperty]
    public CreditInput Input { get; set; } = new();

    public bool StripeEnabled => stripe.Enabled;

    public IReadOnlyList<FundingRow> Recent { get; private set; } = [];

    public IReadOnlyList<UnclaimedBalance> Unclaimed { get; private set; } = [];

    public PayoutRun? LatestRun { get; private set; }

    public IReadOnlyList<PayoutLineRow> HeldLines { get; private set; } = [];

    public string Format(long minorUnits) => new Money(minorUnits, options.Value.SettlementCurrency).ToString();

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreditAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var booked = await funding.CreditManuallyAsync(Input.Reader, Input.Amount, Input.Reason, Actor, cancellationToken);
                var entry = booked.Entries.Single(e => e.Account.StartsWith(LedgerAccounts.ReaderFundsPrefix, StringComparison.Ordinal));
                Log.AdminAction(Logger, Actor, "funds.credit", entry.Account);
                Status = $"Credited {Format(-entry.Amount)} to {Input.Reader.Trim()} ({booked.Reference}).";
                return RedirectToPage();
            }
            catch (HubValidationException e)
            {
                foreach (var (field, messages) in e.Errors)
                {
                    foreach (var message in messages)
                    {
                        ModelState.AddModelError(field switch { "reader" => "Input.Reader", "amount" => "Input.Amount", "reason" => "Input.Reason", _ => string.Empty }, message);
                    }
                }
            }
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var recent = await Db.LedgerEntries.AsNoTracking()
            .Where(e => e.Transaction.Kind.StartsWith(FundingKinds.Prefix) && e.Account.StartsWith(LedgerAccounts.ReaderFundsPrefix))
            .OrderByDescending(e => e.Transaction.At).ThenByDescending(e => e.Id)
            .Take(RecentLimit)
            .Select(e => new { e.Transaction.At, e.Transaction.Kind, e.Account, e.Amount, e.Transaction.Actor, e.Transaction.Description })
            .ToListAsync(cancellationToken);
        var readers = recent.Select(r => ReaderOf(r.Account)).Distinct().ToList();
        var emails = await Db.Users.AsNoTracking().Where(u => readers.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        Recent = [.. recent.Select(r => new FundingRow(r.At, r.Kind, ReaderOf(r.Account), emails.GetValueOrDefault(ReaderOf(r.Account)), -r.Amount, r.Actor, r.Description))];

        var earned = await Db.LedgerEntries.AsNoTracking()
            .Where(e => e.Account.StartsWith(LedgerAccounts.CreatorEarningsPrefix))
            .GroupBy(e => e.Account)
            .Select(g => new { Account = g.Key, Held = -g.Sum(e => e.Amount) })
            .Where(g => g.Held > 0)
            .ToListAsync(cancellationToken);
        var balances = earned.ToDictionary(e => long.Parse(e.Account.Split('/')[1], CultureInfo.InvariantCulture), e => e.Held);
        var ids = balances.Keys.ToList();
        Unclaimed = [.. (await (
                    from creator in Db.Creators.AsNoTracking()
                    where ids.Contains(creator.Id) && creator.AccountId == null
                    join installation in Db.Installations.AsNoTracking() on creator.InstallationId equals installation.Id
                    select new { creator.Id, Name = creator.Name ?? creator.ExternalId, Site = installation.Name })
                .ToListAsync(cancellationToken))
            .Select(c => new UnclaimedBalance(c.Id, c.Name, c.Site, balances[c.Id]))
            .OrderByDescending(c => c.Amount).ThenBy(c => c.CreatorId)];

        LatestRun = await Db.PayoutRuns.AsNoTracking().Where(r => r.State != PayoutRunState.Created).OrderByDescending(r => r.Period).FirstOrDefaultAsync(cancellationToken);
        if (LatestRun is not null)
        {
            var runId = LatestRun.Id;
            var held = await Db.PayoutLines.AsNoTracking().Where(l => l.RunId == runId && l.State == PayoutLineState.Held).OrderByDescending(l => l.Amount).ThenBy(l => l.Id)
                .ToListAsync(cancellationToken);
            var payees = held.Select(l => l.PayeeId).ToList();
            var heldEmails = await Db.Users.AsNoTracking().Where(u => payees.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
            HeldLines = [.. held.Select(l => new PayoutLineRow(l, heldEmails.GetValueOrDefault(l.PayeeId)))];
        }
    }

    private static string ReaderOf(string account) =>
        account[LedgerAccounts.ReaderFundsPrefix.Length..account.LastIndexOf('/')];
}

public sealed class CreditInput
{
    [Required]
    [StringLength(450)]
    [Display(Name = "Reader (email or account id)")]
    public string Reader { get; set; } = string.Empty;

    [Required]
    [StringLength(30)]
    [Display(Name = "Amount")]
    public string Amount { get; set; } = string.Empty;

    [Required]
    [StringLength(500)]
    [Display(Name = "Reason (bank transfer reference, voucher)")]
    public string Reason { get; set; } = string.Empty;
}
