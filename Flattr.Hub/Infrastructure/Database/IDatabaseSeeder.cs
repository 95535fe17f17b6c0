namespace Flattr.Hub.Infrastructure.Database;

/// <summary>
/// Puts reference data in place (the Identity roles, say) after migrations. Every registered seeder runs at each start
/// of the service and of every command, so a seeder must be idempotent and safe when several Hub processes start at once.
/// </summary>
public interface IDatabaseSeeder
{
    Task SeedAsync(CancellationToken cancellationToken);
}
