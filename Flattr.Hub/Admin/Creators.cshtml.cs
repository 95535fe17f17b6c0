using Flattr.Hub.Creators;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Installations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Admin;

/// <summary>Creators as installations name them, with the account that claimed each (if any).</summary>
public sealed class CreatorsModel(HubDbContext db, TimeProvider time, ILogger<CreatorsModel> logger) : AdminPageModel(db, time, logger)
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "installation")]
    public string? InstallationId { get; set; }

    /// <summary><c>claimed</c>, <c>unclaimed</c>, or empty for both.</summary>
    [BindProperty(SupportsGet = true, Name = "claimed")]
    public string? Claimed { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public PagedList<Creator> Creators { get; private set; } = null!;

    public IReadOnlyList<Installation> Installations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Installations = await Db.Installations.AsNoTracking().OrderBy(i => i.Name).ThenBy(i => i.Id).ToListAsync(cancellationToken);
        var creators = Db.Creators.AsNoTracking().Include(c => c.Account).AsQueryable();
        if (!string.IsNullOrEmpty(InstallationId))
        {
            creators = creators.Where(c => c.InstallationId == InstallationId);
        }

        creators = Claimed switch
        {
            "claimed" => creators.Where(c => c.AccountId != null),
            "unclaimed" => creators.Where(c => c.AccountId == null),
            _ => creators,
        };

        if (SearchTerms.ContainsPattern(Query) is { } pattern)
        {
            creators = creators.Where(c =>
                (c.Name != null && EF.Functions.Like(c.Name.ToLower(), pattern, SearchTerms.Escape))
                || EF.Functions.Like(c.ExternalId.ToLower(), pattern, SearchTerms.Escape)
                || (c.Account != null && c.Account.Email != null && EF.Functions.Like(c.Account.Email.ToLower(), pattern, SearchTerms.Escape)));
        }

        Creators = await PagedList.CreateAsync(creators.OrderBy(c => c.Name).ThenBy(c => c.Id), PageNumber, cancellationToken);
    }

    public string InstallationName(string id) => Installations.FirstOrDefault(i => i.Id == id)?.Name ?? id;
}
