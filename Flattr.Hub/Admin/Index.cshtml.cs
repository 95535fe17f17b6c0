using Flattr.Hub.Clicks;
using Flattr.Hub.Infrastructure.Database;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Admin;

/// <summary>The admin dashboard: the figures of the current period (a calendar month in UTC) and of the Hub as a whole.</summary>
public sealed class AdminDashboardModel(HubDbContext db, TimeProvider time, ILogger<AdminDashboardModel> logger) : AdminPageModel(db, time, logger)
{
    public Period Period { get; private set; }

    public int Flattrs { get; private set; }

    public int Things { get; private set; }

    public int RetiredThings { get; private set; }

    public int Creators { get; private set; }

    public int ClaimedCreators { get; private set; }

    public int ReadersWithBudget { get; private set; }

    public int Installations { get; private set; }

    public int DisabledInstallations { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Period = Period.Containing(Time.GetUtcNow());
        var period = Click.PeriodKey(Period);
        // One query at a time: a DbContext runs one command at once.
        Flattrs = await Db.Clicks.CountAsync(c => c.Period == period, cancellationToken);
        Things = await Db.Things.CountAsync(t => t.RetiredAt == null, cancellationToken);
        RetiredThings = await Db.Things.CountAsync(t => t.RetiredAt != null, cancellationToken);
        Creators = await Db.Creators.CountAsync(cancellationToken);
        ClaimedCreators = await Db.Creators.CountAsync(c => c.AccountId != null, cancellationToken);
        ReadersWithBudget = await Db.Users.CountAsync(u => u.MonthlyBudget > 0, cancellationToken);
        Installations = await Db.Installations.CountAsync(i => i.DisabledAt == null, cancellationToken);
        DisabledInstallations = await Db.Installations.CountAsync(i => i.DisabledAt != null, cancellationToken);
    }
}
