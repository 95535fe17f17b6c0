using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Accounts;

/// <summary>Creates the Hub's roles (<see cref="HubRoles.All"/>) that are missing; runs with every database initialisation.</summary>
internal sealed class RoleSeeder(RoleManager<IdentityRole> roles, HubDbContext db, ILogger<RoleSeeder> logger) : IDatabaseSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var role in HubRoles.All)
        {
            if (await roles.RoleExistsAsync(role))
            {
                continue;
            }

            try
            {
                var result = await roles.CreateAsync(new IdentityRole(role));
                if (result.Succeeded)
                {
                    Log.RoleCreated(logger, role);
                    continue;
                }
            }
            catch (DbUpdateException)
            {
                // Another Hub process created it between our check and our insert: the unique index on the name decided.
                db.ChangeTracker.Clear();
            }

            if (!await roles.RoleExistsAsync(role))
            {
                throw new InvalidOperationException($"The role '{role}' could not be created.");
            }
        }
    }
}
