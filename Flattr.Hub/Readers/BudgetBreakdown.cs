using System.Globalization;
using Flattr.Hub.Clicks;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Ledger;
using Flattr.Hub.Payouts;
using Flattr.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Readers;

/// <summary>What one thing got from a reader's budget in a month.</summary>
/// <param name="ThingId">The Hub's thing id.</param>
/// <param name="Title">The thing's title.</param>
/// <param name="Url">The thing's address.</param>
/// <param name="Creator">The creator's name or external id.</param>
/// <param name="Site">The installation's name.</param>
/// <param name="FirstClickedAt">When the reader flattred it that month.</param>
/// <param name="Amount">Its share, in minor units.</param>
public sealed record BudgetShare(long ThingId, string Title, string Url, string Creator, string Site, DateTimeOffset FirstClickedAt, long Amount);

/// <summary>Where a reader's budget went in one month.</summary>
/// <param name="Period">The month.</param>
/// <param name="State">The payout run's state, or null for the current month (an estimate, nothing is booked yet).</param>
/// <param name="MonthlyBudget">The monthly budget the reader had set.</param>
/// <param name="Funds">The funds at the run's cutoff (or now, for the current month).</param>
/// <param name="Budget">The budget taken: the monthly budget, at most the funds, nothing below the minimum.</param>
/// <param name="Fee">The platform fee.</param>
/// <param name="CarriedOver">What stayed with the reader (a month without flattrs).</param>
/// <param name="Distributed">What the things got, in total.</param>
/// <param name="Shares">Each thing's share, earliest flattr first.</param>
public sealed record BudgetMonth(
    Period Period, PayoutRunState? State, long MonthlyBudget, long Funds, long Budget, long Fee, long CarriedOver, long Distributed, IReadOnlyList<BudgetShare> Shares);

/// <summary>
/// Explains a reader's budget per month. Per-thing shares are not stored by a payout run; they are recomputed for
/// that one reader by running the same split engine with only their budget and their clicks of the month, under the
/// same filter as the run (self-flattrs of claimed creators left out). The engine splits each reader's budget
/// independently of everyone else's, so the result is the run's, to the minor unit.
/// </summary>
public sealed class BudgetBreakdown(
    HubDbContext db,
    LedgerService ledger,
    TimeProvider time,
    IOptions<HubOptions> hubOptions,
    IOptions<PayoutOptions> payoutOptions)
{
    /// <summary>The reader's shares in a period, as the split engine computes them for <paramref name="budget"/>.</summary>
    public async Task<IReadOnlyList<ThingShare>> RecomputeSharesAsync(
        Period period, int feeBasisPoints, string readerId, long budget, CancellationToken cancellationToken)
    {
        var split = new MonthlySplit(period, feeBasisPoints);
        if (budget > 0)
        {
            split.AddBudget(readerId, budget);
        }

        var key = Click.PeriodKey(period);
        var clicks = from c in db.Clicks.AsNoTracking()
                     join creator in db.Creators.AsNoTracking() on c.CreatorId equals creator.Id
                     where c.Period == key && c.ReaderId == readerId && (creator.AccountId == null || creator.AccountId != c.ReaderId)
                     select new { c.ThingId, c.CreatorId, c.ClickedAt };
        await foreach (var click in clicks.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            split.AddClick(readerId, click.ThingId.ToString(CultureInfo.InvariantCulture), click.CreatorId.ToString(CultureInfo.InvariantCulture), click.ClickedAt);
        }

        IReadOnlyList<ThingShare> shares = [];
        split.Compute(r =>
        {
            if (r.ReaderId == readerId)
            {
                shares = r.Shares;
            }
        });
        return shares;
    }

    /// <summary>Every payout run the reader had a budget in (computed or later), newest first, with per-thing shares.</summary>
    public async Task<IReadOnlyList<BudgetMonth>> PastMonthsAsync(string readerId, CancellationToken cancellationToken)
    {
        var rows = await (
                from reader in db.PayoutRunReaders.AsNoTracking()
                join run in db.PayoutRuns.AsNoTracking() on reader.RunId equals run.Id
                where reader.ReaderId == readerId && run.State != PayoutRunState.Created
                orderby run.Period descending
                select new { run.Period, run.State, run.FeeBasisPoints, reader })
            .ToListAsync(cancellationToken);
        var months = new List<BudgetMonth>(rows.Count);
        foreach (var row in rows)
        {
            var period = new Period(row.Period / 100, row.Period % 100);
            var r = row.reader;
            var shares = await RecomputeSharesAsync(period, row.FeeBasisPoints, readerId, r.Budget, cancellationToken);
            months.Add(new BudgetMonth(period, row.State, r.MonthlyBudget, r.FundsAtCutoff, r.Budget, r.Fee, r.CarriedOver, r.Distributed,
                await DescribeAsync(shares, cancellationToken)));
        }

        return months;
    }

    /// <summary>
    /// The current month so far: the budget as it would be frozen now (monthly budget, at most the funds, nothing below
    /// the minimum) split among what the reader flattred so far. An estimate; the month's run decides.
    /// </summary>
    public async Task<BudgetMonth> ThisMonthAsync(string readerId, CancellationToken cancellationToken)
    {
        var period = Period.Containing(time.GetUtcNow());
        var monthly = await db.Users.AsNoTracking().Where(u => u.Id == readerId).Select(u => u.MonthlyBudget).SingleAsync(cancellationToken);
        var funds = Math.Max(0, await ledger.ReaderFundsAsync(readerId, cancellationToken));
        var budget = Math.Min(monthly, funds);
        if (budget < hubOptions.Value.MinimumBudget.MinorUnits)
        {
            budget = 0;
        }

        var shares = await RecomputeSharesAsync(period, payoutOptions.Value.FeeBasisPoints, readerId, budget, cancellationToken);
        var fee = shares.Count == 0 ? 0 : (long)((Int128)budget * payoutOptions.Value.FeeBasisPoints / 10_000);
        var distributed = shares.Sum(s => s.Amount);
        return new BudgetMonth(period, null, monthly, funds, budget, fee, shares.Count == 0 ? budget : 0, distributed, await DescribeAsync(shares, cancellationToken));
    }

    private async Task<IReadOnlyList<BudgetShare>> DescribeAsync(IReadOnlyList<ThingShare> shares, CancellationToken cancellationToken)
    {
        var ids = shares.Select(s => long.Parse(s.ThingId, CultureInfo.InvariantCulture)).ToList();
        var things = await (
                from thing in db.Things.AsNoTracking()
                where ids.Contains(thing.Id)
                join creator in db.Creators.AsNoTracking() on thing.CreatorId equals creator.Id
                join installation in db.Installations.AsNoTracking() on thing.InstallationId equals installation.Id
                select new { thing.Id, thing.Title, thing.Url, Creator = creator.Name ?? creator.ExternalId, Site = installation.Name })
            .ToDictionaryAsync(t => t.Id, cancellationToken);
        return [.. shares.Select(s =>
        {
            var id = long.Parse(s.ThingId, CultureInfo.InvariantCulture);
            var thing = things.GetValueOrDefault(id);
            return new BudgetShare(id, thing?.Title ?? $"Thing {id}", thing?.Url ?? string.Empty, thing?.Creator ?? s.CreatorId, thing?.Site ?? string.Empty, s.FirstClickedAt, s.Amount);
        })];
    }
}
