using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Admin;

/// <summary>The audit log, newest first; actors that are accounts are shown by their email.</summary>
public sealed class AuditModel(HubDbContext db, TimeProvider time, ILogger<AuditModel> logger) : AdminPageModel(db, time, logger)
{
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public PagedList<AuditEntry> Entries { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> ActorEmails { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Entries = await PagedList.CreateAsync(
            Db.AuditEntries.AsNoTracking().OrderByDescending(a => a.At).ThenByDescending(a => a.Id), PageNumber, cancellationToken);
        var actors = Entries.Items.Select(e => e.Actor).Distinct(StringComparer.Ordinal).ToList();
        ActorEmails = await Db.Users.Where(u => actors.Contains(u.Id) && u.Email != null)
            .ToDictionaryAsync(u => u.Id, u => u.Email!, cancellationToken);
    }

    public string ActorName(string actor) => ActorEmails.TryGetValue(actor, out var email) ? email : actor;
}
