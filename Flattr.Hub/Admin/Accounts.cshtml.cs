using Flattr.Hub.Accounts;
using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Admin;

/// <summary>Accounts: search by email, see roles, lock and unlock, grant and revoke the admin role (never one's own).</summary>
public sealed class AccountsModel(UserManager<HubUser> users, HubDbContext db, TimeProvider time, ILogger<AccountsModel> logger)
    : AdminPageModel(db, time, logger)
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public PagedList<HubUser> Accounts { get; private set; } = null!;

    public IReadOnlyDictionary<string, List<string>> Roles { get; private set; } = new Dictionary<string, List<string>>();

    public string CurrentAccountId => Actor;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var accounts = Db.Users.AsNoTracking();
        if (SearchTerms.ContainsPattern(Query) is { } pattern)
        {
            accounts = accounts.Where(u => u.Email != null && EF.Functions.Like(u.Email.ToLower(), pattern, SearchTerms.Escape));
        }

        Accounts = await PagedList.CreateAsync(accounts.OrderBy(u => u.NormalizedEmail).ThenBy(u => u.Id), PageNumber, cancellationToken);
        var ids = Accounts.Items.Select(u => u.Id).ToList();
        var roles = await (from userRole in Db.UserRoles
                           join role in Db.Roles on userRole.RoleId equals role.Id
                           where ids.Contains(userRole.UserId)
                           select new { userRole.UserId, role.Name }).ToListAsync(cancellationToken);
        Roles = roles.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.Name ?? string.Empty).Order(StringComparer.Ordinal).ToList());
    }

    public bool IsLocked(HubUser user) => user.LockoutEnd is { } end && end > Time.GetUtcNow();

    public IReadOnlyList<string> RolesOf(HubUser user) => Roles.TryGetValue(user.Id, out var roles) ? roles : [];

    public Task<IActionResult> OnPostLockAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "account.lock", async user =>
        {
            if (user.Id == Actor)
            {
                return "You cannot lock your own account.";
            }

            // Lockout must be enabled for the end date to count; an admin lock never lapses (see AccountLocks).
            Check(await users.SetLockoutEnabledAsync(user, true));
            Check(await users.SetLockoutEndDateAsync(user, AccountLocks.AdminLockEnd));
            // A new security stamp ends the account's sessions at their next check (within a minute).
            Check(await users.UpdateSecurityStampAsync(user));
            Status = $"{user.Email} is locked: it cannot sign in and its sessions end.";
            return null;
        }, cancellationToken);

    public Task<IActionResult> OnPostUnlockAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "account.unlock", async user =>
        {
            Check(await users.SetLockoutEndDateAsync(user, null));
            Check(await users.ResetAccessFailedCountAsync(user));
            Status = $"{user.Email} is unlocked.";
            return null;
        }, cancellationToken);

    public Task<IActionResult> OnPostGrantAdminAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "admin.grant", async user =>
        {
            if (!await users.IsInRoleAsync(user, HubRoles.Admin))
            {
                Check(await users.AddToRoleAsync(user, HubRoles.Admin));
            }

            Status = $"{user.Email} is an admin.";
            return null;
        }, cancellationToken);

    public Task<IActionResult> OnPostRevokeAdminAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, "admin.revoke", async user =>
        {
            if (user.Id == Actor)
            {
                // There is then always at least one admin: the one acting.
                return "You cannot remove your own admin role; ask another admin.";
            }

            if (await users.IsInRoleAsync(user, HubRoles.Admin))
            {
                Check(await users.RemoveFromRoleAsync(user, HubRoles.Admin));
            }

            Status = $"{user.Email} is no longer an admin.";
            return null;
        }, cancellationToken);

    /// <summary>Runs one change and its audit entry in one transaction; <paramref name="change"/> returns a refusal or null.</summary>
    private async Task<IActionResult> ChangeAsync(string id, string action, Func<HubUser, Task<string?>> change, CancellationToken cancellationToken)
    {
        await using (var transaction = await Db.Database.BeginTransactionAsync(cancellationToken))
        {
            var user = await users.FindByIdAsync(id);
            var refusal = user is null ? "There is no such account." : await change(user);
            if (refusal is not null)
            {
                Refuse(action, id, refusal);
            }
            else
            {
                Audit(action, id, user!.Email);
                await Db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }

        return RedirectToPage(new { q = Query, p = PageNumber });
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("An account change failed: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
