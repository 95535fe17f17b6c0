using Flattr.Hub.Accounts;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Ledger;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Funding;

/// <summary>
/// <c>/Funding</c>: the signed-in reader's funds, monthly budget and funding history, and (when Stripe is configured)
/// adding funds by card through Stripe Checkout. The funds change only when Stripe's signed webhook confirms a payment.
/// </summary>
public sealed class FundingModel(
    HubDbContext db,
    LedgerService ledger,
    StripeFunding stripe,
    UserManager<HubUser> users,
    TimeProvider time,
    IOptions<HubOptions> options) : PageModel
{
    /// <summary>How many movements the history lists.</summary>
    public const int HistoryLimit = 100;

    /// <summary>The amount to add, in major units as typed.</summary>
    [BindProperty]
    public string Amount { get; set; } = string.Empty;

    public long Funds { get; private set; }

    public long MonthlyBudget { get; private set; }

    public bool StripeEnabled => stripe.Enabled;

    public Currency Currency => options.Value.SettlementCurrency;

    public Money MinimumBudget => options.Value.MinimumBudget;

    /// <summary>From the return address: <c>success</c> or <c>cancelled</c>.</summary>
    public string? Checkout { get; private set; }

    /// <summary>Card payments started and not (yet) confirmed by Stripe, newest first.</summary>
    public IReadOnlyList<StripeCheckout> Open { get; private set; } = [];

    public IReadOnlyList<FundsMovement> History { get; private set; } = [];

    public string Format(long minorUnits) => new Money(minorUnits, Currency).ToString();

    public async Task OnGetAsync(string? checkout, CancellationToken cancellationToken)
    {
        Checkout = checkout is "success" or "cancelled" ? checkout : null;
        await LoadAsync(cancellationToken);
        Amount = Accounts.BudgetText.Format(Math.Max(MonthlyBudget, MinimumBudget.MinorUnits), Currency);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("The page requires a signed-in reader.");
        try
        {
            var url = await stripe.StartCheckoutAsync(user.Id, user.Email, Amount, cancellationToken);
            return Redirect(url.AbsoluteUri);
        }
        catch (HubValidationException e)
        {
            foreach (var message in e.Errors.SelectMany(x => x.Value))
            {
                ModelState.AddModelError(nameof(Amount), message);
            }
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var readerId = users.GetUserId(User) ?? throw new InvalidOperationException("The page requires a signed-in reader.");
        Funds = await ledger.ReaderFundsAsync(readerId, cancellationToken);
        MonthlyBudget = await db.Users.Where(u => u.Id == readerId).Select(u => u.MonthlyBudget).SingleAsync(cancellationToken);
        History = await FundingHistory.ForReaderAsync(db, readerId, HistoryLimit, cancellationToken);
        // Stripe expires an unpaid Checkout session after 24 hours; older open ones will never be paid.
        var since = time.GetUtcNow().AddHours(-24);
        Open = await db.StripeCheckouts.AsNoTracking()
            .Where(c => c.ReaderId == readerId && c.State == StripeCheckoutState.Open && c.CreatedAt > since)
            .OrderByDescending(c => c.CreatedAt).Take(5).ToListAsync(cancellationToken);
    }
}
