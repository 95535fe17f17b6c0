using Flattr.Hub.Accounts;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Ledger;
using Flattr.Hub.Payouts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Creators;

/// <summary>One payout line of the signed-in creator, with its run's period.</summary>
/// <param name="Period">The run's period.</param>
/// <param name="Amount">The line's amount, in minor units.</param>
/// <param name="State">Where the line stands.</param>
/// <param name="Reason">Why it is held or failed.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record CreatorPayout(Period Period, long Amount, PayoutLineState State, string? Reason, DateTimeOffset UpdatedAt);

/// <summary>
/// <c>/Creators/Payouts</c>: how the signed-in creator gets paid. "Connect with Stripe" creates their Express account
/// and sends them to Stripe's onboarding; Stripe sends them back here, and the page re-reads the account from Stripe.
/// It also shows what they have earned and not yet been paid, and every payout line of theirs.
/// </summary>
public sealed class PayoutsModel(
    HubDbContext db,
    PayoutsOnboarding onboarding,
    UserManager<HubUser> users,
    IOptions<HubOptions> hubOptions,
    IOptions<PayoutOptions> payoutOptions) : PageModel
{
    [TempData]
    public string? Error { get; set; }

    public bool StripeEnabled => onboarding.Enabled;

    public PayoutAccount? Account { get; private set; }

    /// <summary>False when Stripe could not be asked just now, so the status shown is the last one known.</summary>
    public bool StatusIsFresh { get; private set; }

    public long Earned { get; private set; }

    public int CreatorCount { get; private set; }

    public IReadOnlyList<CreatorPayout> History { get; private set; } = [];

    public Currency Currency => hubOptions.Value.SettlementCurrency;

    public string MinimumPayout => Money.Parse(payoutOptions.Value.MinimumPayout, Currency).ToString();

    public string Format(long minorUnits) => new Money(minorUnits, Currency).ToString();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var accountId = AccountId();
        if (await onboarding.RefreshStatusAsync(accountId, cancellationToken) is { } status)
        {
            Account = status.Account;
            StatusIsFresh = status.Fresh;
        }

        var creators = await db.Creators.AsNoTracking().Where(c => c.AccountId == accountId).Select(c => c.Id).ToListAsync(cancellationToken);
        CreatorCount = creators.Count;
        var ledgerAccounts = creators.Select(LedgerAccounts.CreatorEarnings).ToList();
        Earned = -(await db.LedgerEntries.Where(e => ledgerAccounts.Contains(e.Account)).SumAsync(e => (long?)e.Amount, cancellationToken) ?? 0);

        var lines = await (
                from line in db.PayoutLines.AsNoTracking()
                join run in db.PayoutRuns.AsNoTracking() on line.RunId equals run.Id
                where line.PayeeId == accountId
                orderby run.Period descending
                select new { run.Period, line.Amount, line.State, line.Reason, line.UpdatedAt })
            .ToListAsync(cancellationToken);
        History = [.. lines.Select(l => new CreatorPayout(new Period(l.Period / 100, l.Period % 100), l.Amount, l.State, l.Reason, l.UpdatedAt))];
    }

    public async Task<IActionResult> OnPostConnectAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("The page requires a signed-in creator.");
        try
        {
            return Redirect((await onboarding.StartAsync(user, cancellationToken)).AbsoluteUri);
        }
        catch (HubValidationException e)
        {
            Error = e.Message;
            return RedirectToPage();
        }
    }

    /// <summary>How a line's state reads to its creator.</summary>
    public static string Describe(PayoutLineState state) => state switch
    {
        PayoutLineState.Pending => "waiting to be paid",
        PayoutLineState.Sending => "being paid",
        PayoutLineState.Sent => "paid through Stripe",
        PayoutLineState.Failed => "failed; the Hub's admins will retry",
        PayoutLineState.Held => "kept for a later month",
        PayoutLineState.AwaitingManual => "being paid by bank transfer",
        PayoutLineState.PaidManually => "paid by bank transfer",
        _ => state.ToString(),
    };

    private string AccountId() => users.GetUserId(User) ?? throw new InvalidOperationException("The page requires a signed-in creator.");
}
