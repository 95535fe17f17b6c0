using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Flattr.Hub.Infrastructure.Database;

/// <summary>Ready only while the database answers.</summary>
internal sealed class DatabaseHealthCheck(HubDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy("The database answers.")
            : HealthCheckResult.Unhealthy("The database cannot be reached.");
}

internal static class HealthEndpoints
{
    public static void MapHubHealth(this WebApplication app)
    {
        // Live: the process serves requests. Ready: it can also reach its database.
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
    }
}
