using Flattr.Hub.Accounts;
using Flattr.Hub.Clicks;
using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Creators;

/// <summary>One of a creator's things with its flattrs.</summary>
/// <param name="ThingId">The Hub's thing id.</param>
/// <param name="Title">The title.</param>
/// <param name="Url">The address.</param>
/// <param name="Creator">The creator's name or external id.</param>
/// <param name="Site">The installation's name.</param>
/// <param name="Retired">True when retired by its installation.</param>
/// <param name="ThisPeriod">Flattrs this period.</param>
/// <param name="AllTime">Flattrs since it was registered.</param>
public sealed record CreatorThing(long ThingId, string Title, string Url, string Creator, string Site, bool Retired, long ThisPeriod, long AllTime);

/// <summary><c>/Creators/Things</c>: the things of every creator the signed-in account claimed, on every installation.</summary>
public sealed class ThingsModel(HubDbContext db, UserManager<HubUser> users, TimeProvider time) : PageModel
{
    public Period CurrentPeriod { get; private set; }

    public IReadOnlyList<CreatorThing> Things { get; private set; } = [];

    public int CreatorCount { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var accountId = users.GetUserId(User) ?? throw new InvalidOperationException("The page requires a signed-in creator.");
        CurrentPeriod = Period.Containing(time.GetUtcNow());
        var current = Click.PeriodKey(CurrentPeriod);
        CreatorCount = await db.Creators.CountAsync(c => c.AccountId == accountId, cancellationToken);

        var things = await (
                from thing in db.Things
                join creator in db.Creators on thing.CreatorId equals creator.Id
                where creator.AccountId == accountId
                join installation in db.Installations on thing.InstallationId equals installation.Id
                select new { thing.Id, thing.Title, thing.Url, Creator = creator.Name ?? creator.ExternalId, Site = installation.Name, thing.RetiredAt })
            .ToListAsync(cancellationToken);
        var ids = things.Select(t => t.Id).ToList();
        var counts = await db.Clicks.Where(c => ids.Contains(c.ThingId))
            .GroupBy(c => c.ThingId)
            .Select(g => new { ThingId = g.Key, AllTime = g.LongCount(), ThisPeriod = g.LongCount(c => c.Period == current) })
            .ToDictionaryAsync(c => c.ThingId, cancellationToken);
        Things = [.. things
            .Select(t =>
            {
                var count = counts.GetValueOrDefault(t.Id);
                return new CreatorThing(t.Id, t.Title, t.Url, t.Creator, t.Site, t.RetiredAt is not null, count?.ThisPeriod ?? 0, count?.AllTime ?? 0);
            })
            .OrderBy(t => t.Site, StringComparer.Ordinal).ThenByDescending(t => t.ThisPeriod).ThenByDescending(t => t.AllTime).ThenBy(t => t.Title, StringComparer.Ordinal)];
    }
}
