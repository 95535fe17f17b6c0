using Flattr.Hub.Accounts;
using Flattr.Hub.Clicks;
using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Readers;

/// <summary>One flattr as a reader sees it.</summary>
/// <param name="ThingId">The Hub's thing id.</param>
/// <param name="Title">The thing's title.</param>
/// <param name="Url">The thing's address.</param>
/// <param name="Creator">The creator's name or external id.</param>
/// <param name="Site">The installation's name.</param>
/// <param name="ClickedAt">When it was flattred.</param>
/// <param name="Period">The period key it counts in.</param>
public sealed record ReaderFlattr(long ThingId, string Title, string Url, string Creator, string Site, DateTimeOffset ClickedAt, int Period);

/// <summary><c>/Readers/Flattrs</c>: the signed-in reader's flattrs this month and before, newest first.</summary>
public sealed class FlattrsModel(HubDbContext db, UserManager<HubUser> users, TimeProvider time) : PageModel
{
    /// <summary>How many flattrs the page lists at most; older ones are left out.</summary>
    public const int Limit = 1000;

    public Period CurrentPeriod { get; private set; }

    public IReadOnlyList<ReaderFlattr> ThisPeriod { get; private set; } = [];

    public IReadOnlyList<IGrouping<int, ReaderFlattr>> History { get; private set; } = [];

    public long MonthlyBudget { get; private set; }

    public bool Truncated { get; private set; }

    public static string MonthName(int periodKey) => FlattrModel.MonthName(new Period(periodKey / 100, periodKey % 100));

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var readerId = users.GetUserId(User) ?? throw new InvalidOperationException("The page requires a signed-in reader.");
        CurrentPeriod = Period.Containing(time.GetUtcNow());
        var current = Click.PeriodKey(CurrentPeriod);
        MonthlyBudget = await db.Users.Where(u => u.Id == readerId).Select(u => u.MonthlyBudget).SingleOrDefaultAsync(cancellationToken);

        var rows = await (
                from click in db.Clicks
                where click.ReaderId == readerId
                join thing in db.Things on click.ThingId equals thing.Id
                join creator in db.Creators on click.CreatorId equals creator.Id
                join installation in db.Installations on thing.InstallationId equals installation.Id
                select new { click.Id, click.ThingId, thing.Title, thing.Url, Creator = creator.Name ?? creator.ExternalId, Site = installation.Name, click.ClickedAt, click.Period })
            .OrderByDescending(r => r.Period).ThenByDescending(r => r.Id)
            .Take(Limit + 1)
            .ToListAsync(cancellationToken);
        Truncated = rows.Count > Limit;
        var flattrs = rows.Take(Limit).Select(r => new ReaderFlattr(r.ThingId, r.Title, r.Url, r.Creator, r.Site, r.ClickedAt, r.Period)).ToList();
        ThisPeriod = [.. flattrs.Where(f => f.Period == current)];
        History = [.. flattrs.Where(f => f.Period != current).GroupBy(f => f.Period)];
    }
}
