using System.CommandLine;
using System.Text.Json;
using Flattr.Hub.Accounts;
using Flattr.Hub.Cli;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Identity;

namespace Flattr.Hub.Admin;

/// <summary><c>admins add --email e [--display-name n]</c>: make someone an administrator of this Hub.</summary>
internal static class AdminsCommand
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "The admin's email address.", Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "A display name for a new account." };
        var add = new Command(
            "add",
            "Grant the admin role to the account with this email, creating it (without a password) if there is none. Prints JSON "
            + "with a single-use link to set the password when the account has none yet.") { email, displayName };
        add.SetAction(async (parse, ct) =>
        {
            var address = parse.GetValue(email)?.Trim() ?? string.Empty;
            if (!EmailAddresses.IsValid(address))
            {
                // Refused before the Hub is built, so not even a database is created.
                await parse.InvocationConfiguration.Error.WriteLineAsync($"'{address}' is not an email address.");
                return ExitCodes.BadInput;
            }

            var name = parse.GetValue(displayName)?.Trim();
            if (name is { Length: > 100 })
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("The display name must be at most 100 characters.");
                return ExitCodes.BadInput;
            }

            return await ConfigurationArguments.RunInHubAsync(parse, (services, output) => AddAsync(services, output, address, name, ct), ct);
        });

        return new Command("admins", "The Hub's administrators.") { add };
    }

    private static async Task<int> AddAsync(IServiceProvider services, TextWriter output, string email, string? displayName, CancellationToken ct)
    {
        var users = services.GetRequiredService<UserManager<HubUser>>();
        var db = services.GetRequiredService<HubDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminsCommand));

        HubUser user;
        bool created;
        // Account, roles and audit entry together or not at all.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var existing = await users.FindByEmailAsync(email);
            created = existing is null;
            user = existing ?? new HubUser { UserName = email, Email = email, DisplayName = string.IsNullOrEmpty(displayName) ? null : displayName, CreatedAt = now };
            if (created)
            {
                Check(await users.CreateAsync(user));
            }

            // A new account is a reader too (like any account made by signing up); an existing one just becomes an admin.
            foreach (var role in created ? new[] { HubRoles.Admin, HubRoles.Reader } : [HubRoles.Admin])
            {
                if (!await users.IsInRoleAsync(user, role))
                {
                    Check(await users.AddToRoleAsync(user, role));
                }
            }

            db.AuditEntries.Add(new AuditEntry
            {
                Actor = "cli", Action = "admin.grant", Subject = user.Id, Details = created ? $"{email} (new account)" : email, At = now,
            });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        if (created)
        {
            Log.AccountCreated(logger, user.Id, "cli");
        }

        Log.AdminAction(logger, "cli", "admin.grant", user.Id);

        // An account without a password (new, or made earlier by this command and never used) gets a link to set one.
        var link = await users.HasPasswordAsync(user) ? null : await services.GetRequiredService<PasswordResetLinks>().CreateAsync(user);
        await output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["email"] = user.Email,
            ["setPasswordUrl"] = link?.AbsoluteUri,
        }));
        return ExitCodes.Success;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new HubValidationException("email", string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
