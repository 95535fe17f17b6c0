using Flattr.Hub.Creators;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Flattr.Hub.Clicks;

/// <summary>Composes flattring: the click recorder, button links, the reader API and its limits, and creator claims.</summary>
public static class FlattringExtensions
{
    /// <summary>Registers flattring's services, the <c>ApiToken</c> scheme and policy, rate limits and page conventions.</summary>
    public static IServiceCollection AddFlattring(this IServiceCollection services)
    {
        services.AddScoped<ClickRecorder>();
        // The constructors are internal: the configured database (HubConnection) is the Hub's own business.
        services.AddSingleton(sp => new ClickWriter(
            sp.GetRequiredService<Infrastructure.Database.HubConnection>(), sp.GetRequiredService<ILogger<ClickWriter>>()));
        services.AddSingleton(sp => new ClickPathQueries(
            sp.GetRequiredService<Infrastructure.Database.HubConnection>(), sp.GetRequiredService<ILogger<ClickPathQueries>>()));
        services.AddSingleton<ApiTokenCache>();
        services.AddScoped<ButtonLinks>();
        services.AddScoped<CreatorClaims>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, displayName: "Personal API token", null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiTokenAuthenticationHandler.PolicyName, p => p.AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        services.AddReaderApiRateLimits();
        // PostConfigure: MVC's own setup replaces RazorPagesOptions.Conventions, and AddRazorPages runs after this method.
        services.PostConfigure<RazorPagesOptions>(o =>
        {
            // A thing's Hub page (ThingView.FlattrUrl) is the same flattr page as a button link, addressed by Hub id.
            o.Conventions.AddPageRoute("/Clicks/Flattr", "things/{id:long}");
            o.Conventions.AuthorizeFolder("/Readers");
            o.Conventions.AuthorizeFolder("/Creators", CreatorPolicy);
            // The claim page is where a person becomes a creator, so it cannot require the role; it signs in on POST.
            o.Conventions.AllowAnonymousToPage("/Creators/Claim");
        });
        services.AddAuthorizationBuilder().AddPolicy(CreatorPolicy, p => p.RequireRole(Accounts.HubRoles.Creator));
        return services;
    }

    /// <summary>Maps the reader API (flattrs, counts) and the installation claim API.</summary>
    public static IEndpointRouteBuilder MapFlattring(this IEndpointRouteBuilder routes)
    {
        routes.MapFlattrsApi();
        routes.MapClaimsApi();
        return routes;
    }

    /// <summary>The policy of the creator pages: signed in with the <c>creator</c> role.</summary>
    public const string CreatorPolicy = "creator";
}
