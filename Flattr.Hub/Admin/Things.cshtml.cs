using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Installations;
using Flattr.Hub.Things;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Admin;

/// <summary>Every installation's things: search by title, URL or external id, filter by installation, retire.</summary>
public sealed class ThingsModel(HubDbContext db, TimeProvider time, ILogger<ThingsModel> logger) : AdminPageModel(db, time, logger)
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "installation")]
    public string? InstallationId { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public PagedList<Thing> Things { get; private set; } = null!;

    public IReadOnlyList<Installation> Installations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Installations = await Db.Installations.AsNoTracking().OrderBy(i => i.Name).ThenBy(i => i.Id).ToListAsync(cancellationToken);
        var things = Db.Things.AsNoTracking().Include(t => t.Creator).AsQueryable();
        if (!string.IsNullOrEmpty(InstallationId))
        {
            things = things.Where(t => t.InstallationId == InstallationId);
        }

        if (SearchTerms.ContainsPattern(Query) is { } pattern)
        {
            things = things.Where(t =>
                EF.Functions.Like(t.Title.ToLower(), pattern, SearchTerms.Escape)
                || EF.Functions.Like(t.Url.ToLower(), pattern, SearchTerms.Escape)
                || EF.Functions.Like(t.ExternalId.ToLower(), pattern, SearchTerms.Escape));
        }

        Things = await PagedList.CreateAsync(things.OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Id), PageNumber, cancellationToken);
    }

    public string InstallationName(string id) => Installations.FirstOrDefault(i => i.Id == id)?.Name ?? id;

    public async Task<IActionResult> OnPostRetireAsync(long id, CancellationToken cancellationToken)
    {
        var thing = await Db.Things.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (thing is null)
        {
            Refuse("thing.retire", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "There is no such thing.");
        }
        else if (thing.RetiredAt is not null)
        {
            Status = $"“{thing.Title}” was already retired.";
        }
        else
        {
            thing.RetiredAt = Time.GetUtcNow();
            Audit("thing.retire", thing.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{thing.InstallationId} {thing.ExternalId}");
            await Db.SaveChangesAsync(cancellationToken);
            Status = $"“{thing.Title}” is retired: it can no longer be flattred. The site brings it back by publishing it again.";
        }

        return RedirectToPage(new { q = Query, installation = InstallationId, p = PageNumber });
    }
}
