using Flattr.Hub.Infrastructure.Database;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Flattr.Hub.Payouts;

/// <summary>
/// Makes sure one payout run executes at a time across every Hub process. On PostgreSQL: a session advisory lock held
/// on its own connection. On SQLite (one machine by nature): an exclusive lock on a file beside the database. Both are
/// released by the operating system or the server when the process dies, so a crashed run can be resumed at once.
/// </summary>
public sealed class PayoutLock(HubDbContext db, IConfiguration configuration, IHostEnvironment environment)
{
    // Any constant works; it only has to be the same in every Hub process.
    private const long AdvisoryKey = 0x466C61747472; // "Flattr"

    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            var connection = new NpgsqlConnection(db.Database.GetConnectionString());
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", AdvisoryKey);
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return connection; // closing the connection releases the lock
            }

            await connection.DisposeAsync();
            return null;
        }

        var folder = HubPaths.DataDirectory(configuration, environment.ContentRootPath);
        Directory.CreateDirectory(folder);
        try
        {
            return new FileStream(Path.Combine(folder, "payout-execute.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
