using Flattr.Hub.Creators;
using Flattr.Hub.Demo;
using Flattr.Hub.Readers;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Flattr.Hub.Funding;

/// <summary>Composes the money pages: Stripe funding and webhooks, creator onboarding, the reader's budget breakdown.</summary>
internal static class FundingServiceCollectionExtensions
{
    /// <summary>Registers the services of the funding, onboarding and budget pages; the money core is <c>AddHubMoney</c>.</summary>
    public static IServiceCollection AddHubFunding(this IServiceCollection services)
    {
        services.AddScoped<StripeFunding>();
        services.AddScoped<PayoutsOnboarding>();
        services.AddScoped<BudgetBreakdown>();
        services.AddScoped<DemoSeeder>();
        // PostConfigure: MVC's own setup replaces RazorPagesOptions.Conventions, and AddRazorPages runs after this method.
        services.PostConfigure<RazorPagesOptions>(o => o.Conventions.AuthorizeFolder("/Funding"));
        return services;
    }
}
