using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Flattr.Hub.Infrastructure.Database;

internal static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HubDbContext"/> on the configured provider. Without <c>ConnectionStrings:Hub</c> the Hub
    /// uses <c>hub.db</c> in its data folder, created on first start.
    /// </summary>
    public static IServiceCollection AddHubDatabase(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var provider = configuration[$"{DatabaseOptions.SectionName}:Provider"] ?? "Sqlite";
        var connectionString = configuration.GetConnectionString("Hub");
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        if (string.Equals(provider, "Postgres", StringComparison.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    "Hub:Database:Provider is Postgres but ConnectionStrings:Hub is not set. "
                    + "Set it, for example ConnectionStrings__Hub='Host=localhost;Database=flattr;Username=flattr;Password=...'.");
            }

            // Statements the Hub runs again and again (the click path's reads and writes above all) are prepared on the
            // server once per pooled connection, unless the connection string says otherwise: PostgreSQL then skips
            // parsing and planning them on every request (docs/performance.md).
            var postgres = new NpgsqlConnectionStringBuilder(connectionString);
            if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
            {
                postgres.MaxAutoPrepare = 32;
            }

            var npgsql = postgres.ToString();
            services.AddDbContextPool<HubDbContext, PostgresHubDbContext>(o => o.UseNpgsql(npgsql));
            services.AddSingleton(new HubConnection(IsSqlite: false, npgsql));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var folder = HubPaths.DataDirectory(configuration, contentRoot);
                Directory.CreateDirectory(folder);
                connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "hub.db") }.ToString();
            }

            var sqlite = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30, Pooling = true }.ToString();
            services.AddDbContextPool<HubDbContext, SqliteHubDbContext>(o => o.UseSqlite(sqlite));
            services.AddSingleton(new HubConnection(IsSqlite: true, sqlite));
        }

        services.AddScoped<DatabaseInitializer>();
        return services;
    }
}
