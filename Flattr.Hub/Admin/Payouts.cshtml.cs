using System.ComponentModel.DataAnnotations;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Payouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Admin;

/// <summary>A payout run in the list, with how many of its lines are in each state.</summary>
/// <param name="Run">The run.</param>
/// <param name="Lines">Its lines per state.</param>
public sealed record PayoutRunRow(PayoutRun Run, IReadOnlyDictionary<PayoutLineState, int> Lines);

/// <summary><c>/Admin/Payouts</c>: every monthly payout run, and creating the run of a month that has ended.</summary>
public sealed class AdminPayoutsModel(
    PayoutRunService runs,
    HubDbContext db,
    TimeProvider time,
    IOptions<PayoutOptions> payoutOptions,
    IOptions<StripeOptions> stripeOptions,
    ILogger<AdminPayoutsModel> logger) : AdminPageModel(db, time, logger)
{
    /// <summary>The month to create a run for, as yyyy-MM.</summary>
    [BindProperty]
    [Required]
    [RegularExpression(@"^\d{4}-\d{2}$", ErrorMessage = "Enter the month as yyyy-MM, such as 2026-10.")]
    [Display(Name = "Month")]
    public string Period { get; set; } = string.Empty;

    public IReadOnlyList<PayoutRunRow> Runs { get; private set; } = [];

    /// <summary>How new runs pay: Stripe transfers, or a payout file paid by hand.</summary>
    public PayoutMode Mode => payoutOptions.Value.Mode is { } mode ? Enum.Parse<PayoutMode>(mode) : stripeOptions.Value.Enabled ? PayoutMode.Stripe : PayoutMode.Manual;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Period = Flattr.Period.Containing(Time.GetUtcNow()).Previous.ToString();
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid || !Flattr.Period.TryParse(Period, out var period))
        {
            ModelState.AddModelError(nameof(Period), "Enter the month as yyyy-MM, such as 2026-10.");
            await LoadAsync(cancellationToken);
            return Page();
        }

        try
        {
            var (run, existing) = await runs.CreateAsync(period, Actor, cancellationToken);
            var subject = run.Id.ToString();
            Log.AdminAction(Logger, Actor, "payout.create", subject);
            Status = existing
                ? $"The run for {period} exists already; here it is."
                : $"Created the run for {period}: every reader's budget is frozen as of now. Compute it next.";
            return RedirectToPage("/Admin/PayoutsRun", new { id = run.Id });
        }
        catch (HubValidationException e)
        {
            Refuse("payout.create", period.ToString(), e.Message);
            return RedirectToPage();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var list = await Db.PayoutRuns.AsNoTracking().OrderByDescending(r => r.Period).ToListAsync(cancellationToken);
        var counts = await Db.PayoutLines.GroupBy(l => new { l.RunId, l.State }).Select(g => new { g.Key.RunId, g.Key.State, Count = g.Count() })
            .ToListAsync(cancellationToken);
        Runs = [.. list.Select(r => new PayoutRunRow(r, counts.Where(c => c.RunId == r.Id).ToDictionary(c => c.State, c => c.Count)))];
    }
}
