using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Payouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Admin;

/// <summary>One creator's part of a line.</summary>
/// <param name="CreatorId">The Hub's creator id.</param>
/// <param name="Creator">The creator's name or external id.</param>
/// <param name="Site">The installation's name.</param>
/// <param name="Amount">The part, in minor units.</param>
public sealed record PayoutLinePartRow(long CreatorId, string Creator, string Site, long Amount);

/// <summary><c>/Admin/PayoutsLine/{id}</c>: one payout line: its parts per creator and its append-only history.</summary>
public sealed class PayoutsLineModel(HubDbContext db, TimeProvider time, ILogger<PayoutsLineModel> logger) : AdminPageModel(db, time, logger)
{
    public PayoutLine Line { get; private set; } = null!;

    public PayoutRun Run { get; private set; } = null!;

    public string? Email { get; private set; }

    public IReadOnlyList<PayoutLinePartRow> Parts { get; private set; } = [];

    public IReadOnlyList<PayoutLineEvent> History { get; private set; } = [];

    public string Format(long minorUnits) => new Money(minorUnits, Currency.FromCode(Run.Currency)).ToString();

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var line = await Db.PayoutLines.AsNoTracking().SingleOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (line is null)
        {
            return NotFound();
        }

        Line = line;
        Run = await Db.PayoutRuns.AsNoTracking().SingleAsync(r => r.Id == line.RunId, cancellationToken);
        Email = await Db.Users.Where(u => u.Id == line.PayeeId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        Parts = await (
                from part in Db.PayoutLineParts.AsNoTracking()
                where part.LineId == id
                join creator in Db.Creators.AsNoTracking() on part.CreatorId equals creator.Id
                join installation in Db.Installations.AsNoTracking() on creator.InstallationId equals installation.Id
                orderby part.CreatorId
                select new PayoutLinePartRow(part.CreatorId, creator.Name ?? creator.ExternalId, installation.Name, part.Amount))
            .ToListAsync(cancellationToken);
        History = await Db.PayoutLineEvents.AsNoTracking().Where(e => e.LineId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        return Page();
    }
}
