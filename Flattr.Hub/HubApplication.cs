using Flattr.Hub.Accounts;
using Flattr.Hub.Clicks;
using Flattr.Hub.Funding;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Infrastructure.Http;
using Flattr.Hub.Infrastructure.Telemetry;
using Flattr.Hub.Installations;
using Flattr.Hub.Payouts;
using Flattr.Hub.Things;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Flattr.Hub;

/// <summary>
/// Composes the Hub. The service and every command-line verb build the same application, so they share configuration
/// sources (appsettings, environment variables such as <c>ConnectionStrings__Hub</c>, command-line options) and services.
/// </summary>
public static class HubApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The application name picks the assembly whose Razor Pages are served: always this one, also when a test host
        // (whose entry assembly is the test project) builds the Hub.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(HubApplication).Assembly.GetName().Name });
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddOptions<HubOptions>().BindConfiguration(HubOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<HubOptions>, HubOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddHubDatabase(configuration, builder.Environment.ContentRootPath);
        services.AddDataProtection().SetApplicationName("Flattr.Hub").PersistKeysToDbContext<HubDbContext>();
        services.AddKeyRingEncryption(configuration, builder.Environment.ContentRootPath);
        services.AddMediator((Mediator.MediatorOptions options) => options.ServiceLifetime = ServiceLifetime.Scoped);
        services.AddHubTelemetry(configuration);
        services.AddHubOpenApi();
        services.AddScoped<InstallationSecrets>();
        services.AddScoped<SignedRequestFilter>();
        services.AddScoped<ThingStore>();
        services.AddHubAccounts();
        services.AddHubMoney(configuration);
        services.AddHubAccountPages();
        services.AddFlattring();
        services.AddHubFunding();
        services.AddRazorPages(o =>
        {
            // Pages live in feature folders (Accounts/, Admin/, Readers/, Creators/ ...) instead of a Pages/ root.
            o.RootDirectory = "/";
            o.Conventions.AuthorizeFolder("/Admin", AccountsServiceCollectionExtensions.AdminPolicy);
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        configure?.Invoke(builder);
        var app = builder.Build();

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // after authorization, which sets the ApiToken principal the per-reader limit is keyed on
        app.UseAntiforgery();
        app.MapHubHealth();
        app.MapOpenApi();
        app.MapThingsApi();
        app.MapFlattring();
        app.MapStripeWebhooks();
        app.MapRazorPages();
        return app;
    }

    /// <summary>Creates the database and applies migrations; run before serving or before any command.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
    }
}
