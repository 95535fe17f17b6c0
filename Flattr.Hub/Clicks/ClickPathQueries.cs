using System.Collections.Concurrent;
using System.Data.Common;
using Flattr.Hub.Infrastructure.Database;

namespace Flattr.Hub.Clicks;

/// <summary>A personal API token as the click path needs it.</summary>
/// <param name="Id">The token's id.</param>
/// <param name="AccountId">The reader it belongs to.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="LastUsedAt">When it was last used, to the minute.</param>
/// <param name="LockoutEnd">Until when the reader's account is locked, if it is.</param>
internal sealed record ApiTokenRow(long Id, string AccountId, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? LockoutEnd);

/// <summary>
/// The read of the click path before the writer: the API token (when <see cref="ApiTokenCache"/> has not just seen it
/// valid), in plain SQL on connections of their own that stay open with the statement prepared. It is among the
/// hottest statements of the Hub. Through LINQ it cost about 150-250 µs of CPU on the reference machine; through the
/// context's connection still about a hundred, most of it opening and closing that connection (EF Core registers its
/// SQLite functions on every open) and SQLite parsing and planning the statement again; see docs/performance.md. A
/// session (a connection and its command) serves one read at a time. At most <see cref="MaxSessions"/> are open; under a
/// burst, reads wait their turn for one rather than open more (more connections would not make two cores read faster,
/// and opening and closing them under load cost PostgreSQL a session reset each time). A session whose read failed is
/// closed, never reused. The tests of the API token scheme run this read on SQLite and PostgreSQL.
/// </summary>
public sealed class ClickPathQueries : IAsyncDisposable
{
    /// <summary>The PostgreSQL application name of the sessions' connections.</summary>
    public const string ApplicationName = "Flattr.Hub click path";

    /// <summary>The most sessions open at once, each one connection to the database.</summary>
    public const int MaxSessions = 16;

    // The table and column names are EF Core's defaults for the model (HubDbContext), the same on both databases.
    private const string TokenSql =
        """
        SELECT t."Id", t."AccountId", t."RevokedAt", t."LastUsedAt", u."LockoutEnd"
        FROM "ApiTokens" AS t LEFT JOIN "AspNetUsers" AS u ON u."Id" = t."AccountId"
        WHERE t."TokenHash" = @hash
        """;

    private readonly HubConnection _database;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<Session> _idle = new();
    private readonly SemaphoreSlim _turns = new(MaxSessions, MaxSessions);
    private volatile bool _disposed;

    internal ClickPathQueries(HubConnection database, ILogger<ClickPathQueries> logger)
    {
        _database = database.For(ApplicationName);
        _logger = logger;
    }

    /// <summary>The token whose SHA-256 (lower-case hex) is <paramref name="hash"/>, or null.</summary>
    internal Task<ApiTokenRow?> FindTokenAsync(string hash, CancellationToken cancellationToken) =>
        ReadAsync(hash, static async (session, hash, sqlite, cancellationToken) =>
        {
            session.Hash.Value = hash;
            await using var reader = await session.Token.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new ApiTokenRow(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    Instant(reader, 2, sqlite),
                    Instant(reader, 3, sqlite),
                    Instant(reader, 4, sqlite))
                : null;
        }, cancellationToken);

    /// <summary>Runs <paramref name="read"/> on an idle session, or a new one; a session that fails is closed, never reused.</summary>
    private async Task<T?> ReadAsync<TState, T>(
        TState state, Func<Session, TState, bool, CancellationToken, Task<T?>> read, CancellationToken cancellationToken)
        where T : class
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _turns.WaitAsync(cancellationToken);
        try
        {
            if (_idle.TryDequeue(out var idle))
            {
                try
                {
                    var result = await read(idle, state, _database.IsSqlite, cancellationToken);
                    await ReturnAsync(idle);
                    return result;
                }
                catch (DbException e) when (!cancellationToken.IsCancellationRequested)
                {
                    // An idle connection can have been closed under it (PostgreSQL restarted, a proxy's idle timeout). The
                    // read changes nothing, so it is safe to repeat once on a new connection; a real fault fails again there.
                    Log.ClickPathSessionFailed(_logger, e);
                    await idle.DisposeAsync();
                }
                catch
                {
                    await idle.DisposeAsync();
                    throw;
                }
            }

            var session = await OpenAsync(cancellationToken);
            try
            {
                var result = await read(session, state, _database.IsSqlite, cancellationToken);
                await ReturnAsync(session);
                return result;
            }
            catch
            {
                await session.DisposeAsync();
                throw;
            }
        }
        finally
        {
            _turns.Release();
        }
    }

    /// <summary>Closes every session, after the reads in progress (if any) have ended.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        for (var i = 0; i < MaxSessions; i++)
        {
            // Holding every turn means no read is running; a read stuck past this has its session closed when it ends.
            await _turns.WaitAsync(TimeSpan.FromSeconds(10));
        }

        while (_idle.TryDequeue(out var session))
        {
            await session.DisposeAsync();
        }
    }

    private async Task<Session> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = _database.Create();
        try
        {
            await connection.OpenAsync(cancellationToken);
            var token = connection.CreateCommand();
            token.CommandText = TokenSql;
            var hash = token.AddParameter("@hash", string.Empty);
            // Parsed and planned once for the life of the connection (on PostgreSQL, prepared on the server).
            await token.PrepareAsync(cancellationToken);
            return new Session(connection, token, hash);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async ValueTask ReturnAsync(Session session)
    {
        if (_disposed)
        {
            await session.DisposeAsync();
            return;
        }

        // Never more than MaxSessions: a session is only opened by a read that holds one of the MaxSessions turns.
        _idle.Enqueue(session);
    }

    private static DateTimeOffset? Instant(DbDataReader reader, int ordinal, bool sqlite) =>
        reader.IsDBNull(ordinal) ? null : StoredValues.ReadInstant(reader, ordinal, sqlite);

    private sealed record Session(DbConnection Connection, DbCommand Token, DbParameter Hash) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Token.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
