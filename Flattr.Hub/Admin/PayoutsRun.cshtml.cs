using System.Globalization;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Payouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Admin;

/// <summary>A payout line as the run page lists it.</summary>
/// <param name="Line">The line.</param>
/// <param name="Email">The payee's email, when the account has one.</param>
public sealed record PayoutLineRow(PayoutLine Line, string? Email);

/// <summary>
/// <c>/Admin/PayoutsRun/{id}</c>: one payout run: its figures, every line (with state, reason and transfer id), the CSV
/// export, and the steps (compute, approve, execute, retry a failed line, mark a manual line paid), each calling the
/// payout services with the signed-in admin as the audited actor. Approve and execute ask for confirmation first.
/// </summary>
public sealed class PayoutsRunModel(
    PayoutRunService runs,
    PayoutExecutor executor,
    HubDbContext db,
    TimeProvider time,
    ILogger<PayoutsRunModel> logger) : AdminPageModel(db, time, logger)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    /// <summary>The step awaiting confirmation: <c>approve</c> or <c>execute</c>.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Confirm { get; set; }

    /// <summary>Lists only lines in this state.</summary>
    [BindProperty(SupportsGet = true, Name = "state")]
    public PayoutLineState? StateFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public PayoutRun Run { get; private set; } = null!;

    public int Readers { get; private set; }

    /// <summary>Lines and their total amount per state: the run's progress.</summary>
    public IReadOnlyDictionary<PayoutLineState, (int Count, long Amount)> ByState { get; private set; } = new Dictionary<PayoutLineState, (int, long)>();

    public PagedList<PayoutLineRow> Lines { get; private set; } = null!;

    /// <summary>Who created and approved the run, by email where the actor is an account.</summary>
    public IReadOnlyDictionary<string, string> Actors { get; private set; } = new Dictionary<string, string>();

    public string ActorName(string? actor) => actor is null ? string.Empty : Actors.GetValueOrDefault(actor, actor);

    public string Format(long minorUnits) => new Money(minorUnits, Currency.FromCode(Run.Currency)).ToString();

    public (int Count, long Amount) Totals(params PayoutLineState[] states) =>
        (states.Sum(s => ByState.GetValueOrDefault(s).Count), states.Sum(s => ByState.GetValueOrDefault(s).Amount));

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        return Page();
    }

    /// <summary>The lines as CSV (RFC 4180), one row per line, amounts in minor units.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        var run = await Db.PayoutRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == Id, cancellationToken);
        if (run is null)
        {
            return NotFound();
        }

        var csv = await PayoutsCsv.WriteAsync(Db, run, cancellationToken);
        return File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"payout-{run.PeriodValue}-{run.Id:N}.csv");
    }

    public Task<IActionResult> OnPostComputeAsync(CancellationToken cancellationToken) =>
        StepAsync("payout.compute", async () =>
        {
            var run = await runs.ComputeAsync(Id, Actor, cancellationToken);
            var lines = await Db.PayoutLines.CountAsync(l => l.RunId == Id, cancellationToken);
            return $"Computed: {new Money(run.Distributed, Currency.FromCode(run.Currency))} to creators in {lines} lines. Review the lines and the CSV, then approve.";
        });

    public Task<IActionResult> OnPostApproveAsync(bool confirmed, CancellationToken cancellationToken) =>
        StepAsync("payout.approve", async () =>
        {
            RequireConfirmation(confirmed, "approve");
            var run = await runs.ApproveAsync(Id, Actor, cancellationToken);
            return $"Approved: the budgets of {run.PeriodValue} are booked in the ledger. Execute the run to pay the creators.";
        });

    public Task<IActionResult> OnPostExecuteAsync(bool confirmed) =>
        StepAsync("payout.execute", async () =>
        {
            RequireConfirmation(confirmed, "execute");
            // Not the request's token: an admin closing the tab must not stop a run between two transfers. The
            // executor is resumable anyway, but a run that finishes is better than one that needs resuming.
            var result = await executor.ExecuteAsync(Id, Actor, CancellationToken.None);
            Log.PayoutExecutedFromAdmin(Logger, Actor, Id, result.State, result.Sent, result.Failed, result.Held, result.AwaitingManual);
            var summary = result.PayoutFile is null
                ? string.Create(CultureInfo.InvariantCulture,
                    $"Execution finished, the run is {result.State}: {result.Sent} sent, {result.Failed} failed, {result.Held} held, {result.AwaitingManual} awaiting manual payment.")
                : string.Create(CultureInfo.InvariantCulture,
                    $"Payout file written: {result.AwaitingManual} lines awaiting manual payment, {result.Held} held. Payout file: {result.PayoutFile} (the same lines as the CSV below); pay each line, then mark it paid.");

            if (result.Failed > 0)
            {
                summary += " Failed lines keep their money on the creator's balance; retry them below.";
            }

            return summary;
        });

    public Task<IActionResult> OnPostRetryAsync(long line, CancellationToken cancellationToken) =>
        StepAsync("payout.retry-line", async () =>
        {
            await executor.RetryLineAsync(line, Actor, cancellationToken);
            return string.Create(CultureInfo.InvariantCulture, $"Line {line} is pending again; execute the run to pay it.");
        }, line.ToString(CultureInfo.InvariantCulture));

    public Task<IActionResult> OnPostMarkPaidAsync(long line, string? reference, CancellationToken cancellationToken) =>
        StepAsync("payout.mark-paid", async () =>
        {
            var trimmed = string.IsNullOrWhiteSpace(reference) ? null : reference.Trim();
            if (trimmed is { Length: > 500 })
            {
                throw new HubValidationException("reference", "The reference must be at most 500 characters.");
            }

            await executor.MarkPaidAsync(line, Actor, trimmed, cancellationToken);
            return string.Create(CultureInfo.InvariantCulture, $"Line {line} is marked paid.");
        }, line.ToString(CultureInfo.InvariantCulture));

    private static void RequireConfirmation(bool confirmed, string step)
    {
        if (!confirmed)
        {
            throw new HubValidationException("confirmed", $"Confirm the {step} step on its confirmation page first.");
        }
    }

    /// <summary>Runs one step; refusals (wrong state, unbalanced ledger, lock held) become the page's error, then back to the run (PRG).</summary>
    private async Task<IActionResult> StepAsync(string action, Func<Task<string>> step, string? subject = null)
    {
        subject ??= Id.ToString();
        try
        {
            Status = await step();
            Log.AdminAction(Logger, Actor, action, subject);
        }
        catch (HubValidationException e)
        {
            Refuse(action, subject, e.Message);
        }
        catch (InvalidOperationException e)
        {
            // The services refuse with InvalidOperationException when the ledger does not balance; nothing was changed.
            Refuse(action, subject, e.Message);
        }

        return RedirectToPage(new { id = Id });
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var run = await Db.PayoutRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == Id, cancellationToken);
        if (run is null)
        {
            return false;
        }

        Run = run;
        string?[] actors = [run.CreatedBy, run.ApprovedBy];
        Actors = await Db.Users.AsNoTracking().Where(u => actors.Contains(u.Id) && u.Email != null).ToDictionaryAsync(u => u.Id, u => u.Email!, cancellationToken);
        Readers = await Db.PayoutRunReaders.CountAsync(r => r.RunId == Id && r.Budget > 0, cancellationToken);
        ByState = (await Db.PayoutLines.Where(l => l.RunId == Id).GroupBy(l => l.State)
                .Select(g => new { g.Key, Count = g.Count(), Amount = g.Sum(l => l.Amount) })
                .ToListAsync(cancellationToken))
            .ToDictionary(g => g.Key, g => (g.Count, g.Amount));

        var lines = Db.PayoutLines.AsNoTracking().Where(l => l.RunId == Id);
        if (StateFilter is { } state)
        {
            lines = lines.Where(l => l.State == state);
        }

        var page = await PagedList.CreateAsync(lines.OrderBy(l => l.Id), PageNumber, cancellationToken);
        var payees = page.Items.Select(l => l.PayeeId).ToList();
        var emails = await Db.Users.AsNoTracking().Where(u => payees.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        Lines = new PagedList<PayoutLineRow>
        {
            Items = [.. page.Items.Select(l => new PayoutLineRow(l, emails.GetValueOrDefault(l.PayeeId)))], Page = page.Page, Total = page.Total,
        };
        return true;
    }
}
