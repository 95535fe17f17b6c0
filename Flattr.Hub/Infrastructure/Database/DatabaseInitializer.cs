using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Infrastructure.Database;

/// <summary>Creates the database and applies migrations; the service and every command run it before anything else.</summary>
internal sealed class DatabaseInitializer(HubDbContext db, IEnumerable<IDatabaseSeeder> seeders, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            Log.ApplyingMigrations(logger, pending.Count, db.Database.ProviderName ?? "unknown");
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db.Database.IsSqlite())
        {
            // Write-ahead logging lets readers proceed while a click is being written.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        foreach (var seeder in seeders)
        {
            await seeder.SeedAsync(cancellationToken);
        }
    }
}
