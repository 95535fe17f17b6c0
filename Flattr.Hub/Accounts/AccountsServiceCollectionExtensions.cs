using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Identity;

namespace Flattr.Hub.Accounts;

internal static class AccountsServiceCollectionExtensions
{
    public const string AdminPolicy = "admin";

    /// <summary>ASP.NET Core Identity with email and password, lockout, and the Hub's roles; cookie sign-in for pages.</summary>
    public static IServiceCollection AddHubAccounts(this IServiceCollection services)
    {
        services.AddIdentity<HubUser, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<HubDbContext>()
            .AddDefaultTokenProviders();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Accounts/SignIn";
            o.LogoutPath = "/Accounts/SignOut";
            o.AccessDeniedPath = "/Accounts/AccessDenied";
            o.Cookie.Name = "flattr.hub";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
        });
        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, p => p.RequireRole(HubRoles.Admin));
        return services;
    }
}
