using System.Globalization;
using Flattr.Hub.Admin;
using Flattr.Hub.Clicks;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Ledger;
using Flattr.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Payouts;

/// <summary>
/// The first three steps of the monthly payout: create (freeze inputs), compute (save the whole plan), approve (book the
/// period in the ledger). Each step is one database transaction; nothing here moves money at Stripe.
/// </summary>
public sealed class PayoutRunService(
    HubDbContext db,
    LedgerService ledger,
    LedgerVerifier verifier,
    TimeProvider time,
    IOptions<HubOptions> hubOptions,
    IOptions<PayoutOptions> payoutOptions,
    IOptions<StripeOptions> stripeOptions,
    ILogger<PayoutRunService> logger)
{
    /// <summary>
    /// Creates the run for a period that has ended, freezing every reader's budget at the cutoff: the monthly budget,
    /// never more than their funds, and nothing below the minimum. A second call returns the existing run unchanged.
    /// </summary>
    public async Task<(PayoutRun Run, bool Existing)> CreateAsync(Period period, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < period.End)
        {
            throw new HubValidationException("period", $"{period} has not ended yet; create its payout run from {period.End:yyyy-MM-dd} (UTC).");
        }

        var key = Click.PeriodKey(period);
        if (await db.PayoutRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Period == key, cancellationToken) is { } existing)
        {
            return (existing, true);
        }

        var hub = hubOptions.Value;
        var payouts = payoutOptions.Value;
        var run = new PayoutRun
        {
            Id = Guid.NewGuid(),
            Period = key,
            Cutoff = now,
            State = PayoutRunState.Created,
            Mode = Mode(),
            Currency = hub.SettlementCurrency.Code,
            FeeBasisPoints = payouts.FeeBasisPoints,
            MinimumBudget = hub.MinimumBudget.MinorUnits,
            MinimumPayout = Money.Parse(payouts.MinimumPayout, hub.SettlementCurrency).MinorUnits,
            CreatedBy = actor,
            CreatedAt = now,
        };

        // One transaction: the run and every reader's frozen budget, written set-based in the database (a large hub has
        // a million readers; they never pass through this process).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.PayoutRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another process created the period's run at the same moment; the unique index kept only one.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return (await db.PayoutRuns.AsNoTracking().SingleAsync(r => r.Period == key, cancellationToken), true);
        }

        var started = time.GetTimestamp();
        var frozen = await PayoutPlanStore.FreezeBudgetsAsync(db, run.Id, run.MinimumBudget, cancellationToken);
        db.AuditEntries.Add(new AuditEntry
        {
            Actor = actor,
            Action = "payout.create",
            Subject = run.Id.ToString(),
            Details = string.Create(CultureInfo.InvariantCulture, $"{period}; budgets of {frozen} readers frozen"),
            At = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        var periodText = period.ToString();
        Log.PayoutRunCreated(logger, run.Id, periodText, frozen, seconds);
        return (run, false);
    }

    /// <summary>
    /// Runs the split engine over the period's clicks and the frozen budgets and saves the whole plan in one transaction:
    /// each reader's fee, distribution and carry-over, each creator's allocation, and a line per payee (payable or held,
    /// with the reason). May be repeated until the run is approved.
    /// </summary>
    public async Task<PayoutRun> ComputeAsync(Guid runId, string actor, CancellationToken cancellationToken)
    {
        var run = await FindAsync(runId, cancellationToken);
        if (run.State is not (PayoutRunState.Created or PayoutRunState.Computed))
        {
            throw new HubValidationException("run", $"Run {run.Id} is {run.State}; only a created or computed run can be computed.");
        }

        var split = new MonthlySplit(run.PeriodValue, run.FeeBasisPoints);
        var outcomes = new List<ReaderOutcome>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Streamed: budgets and clicks go one row at a time from the database into the engine, which keeps only
            // what the split needs (a few words per reader, thing and click pair).
            var started = time.GetTimestamp();
            await PayoutPlanStore.AddBudgetsAsync(db, run.Id, split, cancellationToken);
            var clickRows = await PayoutPlanStore.AddClicksAsync(db, run.Period, split, cancellationToken);
            var readSeconds = time.GetElapsedTime(started).TotalSeconds;
            Log.PayoutPlanRead(logger, run.Id, clickRows, readSeconds);
            started = time.GetTimestamp();
            var result = split.Compute(
                r =>
                {
                    // A reader who flattred nothing keeps the row's unsplit state (all carried over): nothing to write.
                    var distributed = r.Budget - r.Fee - r.CarriedOver;
                    if (r.Fee != 0 || distributed != 0)
                    {
                        outcomes.Add(new ReaderOutcome(r.ReaderId, r.Fee, distributed, r.CarriedOver));
                    }
                },
                includeShares: false); // shares are recomputed on demand for a reader's page
            var splitSeconds = time.GetElapsedTime(started).TotalSeconds;
            started = time.GetTimestamp();
            FaultPoints.Reach("compute.before-save");

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.PayoutAllocations.Where(a => a.RunId == run.Id).ExecuteDeleteAsync(cancellationToken);
            await db.PayoutLines.Where(l => l.RunId == run.Id).ExecuteDeleteAsync(cancellationToken);
            var written = await PayoutPlanStore.WriteOutcomesAsync(db, run.Id, outcomes, cancellationToken);
            if (written != outcomes.Count)
            {
                throw new InvalidOperationException($"The plan of run {run.Id} has {outcomes.Count} reader outcomes but {written} reader rows took them; nothing was saved.");
            }

            var allocations = result.Creators.ToDictionary(c => long.Parse(c.CreatorId, CultureInfo.InvariantCulture), c => c.Amount);
            db.PayoutAllocations.AddRange(allocations.Select(a => new PayoutAllocation { RunId = run.Id, CreatorId = a.Key, Amount = a.Value }));
            await AddLinesAsync(run, allocations, cancellationToken);

            run.TotalBudget = result.TotalBudget;
            run.Fee = result.Fee;
            run.CarriedOver = result.CarriedOver;
            run.Distributed = result.Distributed;
            run.CountedClicks = result.Statistics.CountedClicks;
            run.State = PayoutRunState.Computed;
            run.ComputedAt = time.GetUtcNow();
            db.AuditEntries.Add(new AuditEntry { Actor = actor, Action = "payout.compute", Subject = run.Id.ToString(), At = time.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
            CheckPlan(run, await PayoutPlanStore.TotalsAsync(db, run.Id, cancellationToken), allocations);
            await transaction.CommitAsync(cancellationToken);
            var saveSeconds = time.GetElapsedTime(started).TotalSeconds;
            Log.PayoutPlanSaved(logger, run.Id, splitSeconds, outcomes.Count, allocations.Count, saveSeconds);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        FaultPoints.Reach("compute.after-save");
        return run;
    }

    /// <summary>
    /// Approves a computed run: books every reader's committed budget, the platform fee and each creator's earnings in
    /// one ledger transaction, after checking the ledger and that no creator balance changed since the plan was made.
    /// </summary>
    public async Task<PayoutRun> ApproveAsync(Guid runId, string actor, CancellationToken cancellationToken)
    {
        var run = await FindAsync(runId, cancellationToken);
        if (run.State != PayoutRunState.Computed)
        {
            throw new HubValidationException("run", $"Run {run.Id} is {run.State}; only a computed run can be approved.");
        }

        await RequireBalancedLedgerAsync("before approving", cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var allocations = await db.PayoutAllocations.Where(a => a.RunId == run.Id).ToDictionaryAsync(a => a.CreatorId, a => a.Amount, cancellationToken);
        var earned = await ledger.HeldBalancesAsync(LedgerAccounts.CreatorEarningsPrefix, cancellationToken);
        var parts = await db.PayoutLineParts.Where(p => db.PayoutLines.Any(l => l.Id == p.LineId && l.RunId == run.Id)).ToListAsync(cancellationToken);
        foreach (var part in parts)
        {
            var expected = earned.GetValueOrDefault(LedgerAccounts.CreatorEarnings(part.CreatorId)) + allocations.GetValueOrDefault(part.CreatorId);
            if (expected != part.Amount)
            {
                throw new HubValidationException("run", $"Creator {part.CreatorId}'s balance changed since run {run.Id} was computed; compute it again before approving.");
            }
        }

        // Each reader's fee and distribution is debited from their funds, the fee credited to the platform and each
        // allocation to its creator, in one ledger transaction. The reader entries are written set-based from the run's
        // rows (a large hub has a million); the ledger checks the stored transaction balances before it is committed.
        var credits = new List<(string, long)>();
        if (run.Fee > 0)
        {
            credits.Add((LedgerAccounts.PlatformFees, -run.Fee));
        }

        credits.AddRange(allocations.Where(a => a.Value != 0).Select(a => (LedgerAccounts.CreatorEarnings(a.Key), -a.Value)));
        if (run.Fee + run.Distributed > 0)
        {
            await ledger.BookInBulkAsync(
                "payout.commit", $"payout:{run.Id:N}:commit", actor, $"Budgets of {run.PeriodValue}", [.. credits],
                (transactionId, currency) => PayoutPlanStore.BookReaderDebitsAsync(db, run.Id, transactionId, currency, cancellationToken),
                cancellationToken);
        }

        run.State = PayoutRunState.Approved;
        run.ApprovedBy = actor;
        run.ApprovedAt = time.GetUtcNow();
        db.AuditEntries.Add(new AuditEntry { Actor = actor, Action = "payout.approve", Subject = run.Id.ToString(), At = time.GetUtcNow() });
        FaultPoints.Reach("approve.before-save");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        FaultPoints.Reach("approve.after-save");
        return run;
    }

    public async Task<PayoutRun> FindAsync(Guid runId, CancellationToken cancellationToken) =>
        await db.PayoutRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken)
        ?? throw new HubValidationException("run", $"There is no payout run {runId}.");

    public async Task RequireBalancedLedgerAsync(string when, CancellationToken cancellationToken)
    {
        var report = await verifier.VerifyAsync(cancellationToken);
        if (!report.Balanced)
        {
            throw new InvalidOperationException($"The ledger does not balance {when}; nothing was changed. {string.Join(" ", report.Problems)}");
        }
    }

    private PayoutMode Mode() =>
        payoutOptions.Value.Mode is { } mode ? Enum.Parse<PayoutMode>(mode) : stripeOptions.Value.Enabled ? PayoutMode.Stripe : PayoutMode.Manual;

    private async Task AddLinesAsync(PayoutRun run, Dictionary<long, long> allocations, CancellationToken cancellationToken)
    {
        // A person is paid once for every creator they claimed, on any installation: the balance they earned before
        // (held back earlier) plus this run's allocations.
        var earned = await ledger.HeldBalancesAsync(LedgerAccounts.CreatorEarningsPrefix, cancellationToken);
        var claimed = await db.Creators.AsNoTracking().Where(c => c.AccountId != null).Select(c => new { c.Id, c.AccountId }).ToListAsync(cancellationToken);
        var accounts = await db.PayoutAccounts.AsNoTracking().ToDictionaryAsync(a => a.AccountId, StringComparer.Ordinal, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var payee in claimed.GroupBy(c => c.AccountId!, StringComparer.Ordinal))
        {
            var parts = payee
                .Select(c => new PayoutLinePart { CreatorId = c.Id, Amount = earned.GetValueOrDefault(LedgerAccounts.CreatorEarnings(c.Id)) + allocations.GetValueOrDefault(c.Id) })
                .Where(p => p.Amount > 0)
                .ToList();
            var amount = parts.Sum(p => p.Amount);
            if (amount == 0)
            {
                continue;
            }

            var account = accounts.GetValueOrDefault(payee.Key);
            string? hold = null;
            if (amount < run.MinimumPayout)
            {
                hold = $"Below the minimum payout of {new Money(run.MinimumPayout, Currency.FromCode(run.Currency))}; kept for a later run.";
            }
            else if (run.Mode == PayoutMode.Stripe && account is null)
            {
                hold = "No Stripe account connected; kept until the creator connects one.";
            }
            else if (run.Mode == PayoutMode.Stripe && !account!.PayoutsEnabled)
            {
                hold = "Stripe has not enabled payouts for the connected account yet; kept for a later run.";
            }

            var line = new PayoutLine
            {
                RunId = run.Id,
                PayeeId = payee.Key,
                Amount = amount,
                State = hold is null ? PayoutLineState.Pending : PayoutLineState.Held,
                Reason = hold,
                IdempotencyKey = $"flattr-payout:{run.Id:N}:{payee.Key}",
                Destination = account?.StripeAccountId,
                UpdatedAt = now,
                Parts = parts,
            };
            db.PayoutLines.Add(line);
        }
    }

    private static void CheckPlan(PayoutRun run, ReaderTotals readers, Dictionary<long, long> allocations)
    {
        // The plan's own proof, read back from what was stored before it is committed: every reader row conserves its
        // budget, the rows add up to the run's totals, and creators get exactly what was distributed.
        if (run.TotalBudget != run.Fee + run.CarriedOver + run.Distributed
            || readers.Unbalanced != 0
            || readers.Budget != run.TotalBudget
            || readers.Fee != run.Fee
            || readers.Distributed != run.Distributed
            || readers.CarriedOver != run.CarriedOver
            || allocations.Values.Sum() != run.Distributed)
        {
            throw new InvalidOperationException($"The plan of run {run.Id} does not conserve money; nothing was saved.");
        }
    }
}
