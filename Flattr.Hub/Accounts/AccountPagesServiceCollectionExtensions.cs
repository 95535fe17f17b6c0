using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Flattr.Hub.Accounts;

internal static class AccountPagesServiceCollectionExtensions
{
    /// <summary>
    /// What the account and admin pages need beyond Identity itself (<see cref="AccountsServiceCollectionExtensions.AddHubAccounts"/>):
    /// the roles seeded at every start, the mail sender (the mail folder unless the host registered another), and the
    /// reset links.
    /// </summary>
    public static IServiceCollection AddHubAccountPages(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.SectionName);
        services.TryAddSingleton<IEmailSender<HubUser>, FileEmailSender>();
        services.AddScoped<IDatabaseSeeder, RoleSeeder>();
        services.AddScoped<PasswordResetLinks>();
        services.Configure<IdentityOptions>(o =>
        {
            // The user name is the email address, which is validated as one; Identity's default character list would
            // refuse valid addresses such as o'neil@example.org.
            o.User.AllowedUserNameCharacters = string.Empty;
        });
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            // Sessions re-read the account this often: a lock, a revoked role or a new password reaches signed-in
            // browsers within a minute instead of the default half hour.
            o.ValidationInterval = TimeSpan.FromMinutes(1);
        });
        return services;
    }
}
