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

/// <summary>Everything a flattr is checked against, read at once.</summary>
/// <param name="Url">The thing's address (null when there is no such thing).</param>
/// <param name="CreatorId">The thing's creator.</param>
/// <param name="RetiredAt">When the thing was retired, if it was.</param>
/// <param name="CreatorAccountId">The reader account that claimed the creator, if any.</param>
/// <param name="InstallationDisabledAt">When the thing's installation was disabled, if it was.</param>
/// <param name="Budget">The reader's monthly budget (null when the reader is unknown).</param>
/// <param name="LockoutEnd">Until when the reader's account is locked, if it is.</param>
/// <param name="TokenValid">For a flattr through the API: true when its token is still the reader's and not revoked.</param>
/// <param name="EarlierClick">When the reader flattred the thing in the period before, if they did.</param>
internal sealed record ClickCheck(
    string? Url,
    long CreatorId,
    DateTimeOffset? RetiredAt,
    string? CreatorAccountId,
    DateTimeOffset? InstallationDisabledAt,
    long? Budget,
    DateTimeOffset? LockoutEnd,
    bool TokenValid,
    DateTimeOffset? EarlierClick);

/// <summary>
/// The reads of the click path: the API token (when <see cref="ApiTokenCache"/> has not just seen it valid), and the
/// check every click makes (the thing, the reader's budget and lock, the token still valid, an earlier click), in
/// plain SQL on connections of their own that stay open with both statements prepared. They are the hottest statements
/// of the Hub: a burst of clicks runs them thousands of times a second. Through LINQ they cost about 150-250 µs of CPU
/// each on the reference machine; through the context's connection still about a hundred, most of it opening and
/// closing that connection (EF Core registers its SQLite functions on every open) and SQLite parsing and planning the
/// statement again; see docs/performance.md. A session (a connection and its two commands) serves one read at a time.
/// At most <see cref="MaxSessions"/> are open; under a burst, reads wait their turn for one rather than open more
/// (more connections would not make two cores read faster, and opening and closing them under load cost PostgreSQL a
/// session reset each time). A session whose read failed is closed, never reused. The tests of the click path run
/// these reads on SQLite and PostgreSQL.
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

    // Always one row, also for an unknown thing: the reader's and the token's state are read either way. @token is 0
    // (no token has that id) for a flattr through the button page.
    private const string CheckSql =
        """
        SELECT t."Url", t."CreatorId", t."RetiredAt", c."AccountId", i."DisabledAt", u."MonthlyBudget", u."LockoutEnd",
               EXISTS (SELECT 1 FROM "ApiTokens" AS x WHERE x."Id" = @token AND x."AccountId" = @reader AND x."RevokedAt" IS NULL),
               (SELECT k."ClickedAt" FROM "Clicks" AS k WHERE k."ReaderId" = @reader AND k."ThingId" = t."Id" AND k."Period" = @period)
        FROM (SELECT 1 AS "One") AS one
        LEFT JOIN "Things" AS t ON t."Id" = @thing
        LEFT JOIN "Creators" AS c ON c."Id" = t."CreatorId"
        LEFT JOIN "Installations" AS i ON i."Id" = t."InstallationId"
        LEFT JOIN "AspNetUsers" AS u ON u."Id" = @reader
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

    /// <summary>
    /// Thing <paramref name="thingId"/> with what a flattr by <paramref name="readerId"/> in period <paramref name="period"/>
    /// depends on, and whether API token <paramref name="apiTokenId"/> (0 for none) is still the reader's and valid.
    /// </summary>
    internal async Task<ClickCheck> CheckAsync(long thingId, string readerId, int period, long apiTokenId, CancellationToken cancellationToken) =>
        (await ReadAsync((thingId, readerId, period, apiTokenId), static async (session, key, sqlite, cancellationToken) =>
        {
            session.Thing.Value = key.thingId;
            session.Reader.Value = key.readerId;
            session.Period.Value = key.period;
            session.ApiToken.Value = key.apiTokenId;
            await using var reader = await session.Check.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException("The click check returned no row.");
            }

            return new ClickCheck(
                reader.IsDBNull(0) ? null : reader.GetString(0),
                reader.IsDBNull(1) ? 0 : reader.GetInt64(1),
                Instant(reader, 2, sqlite),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                Instant(reader, 4, sqlite),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                Instant(reader, 6, sqlite),
                reader.GetBoolean(7),
                Instant(reader, 8, sqlite));
        }, cancellationToken))!;

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
            var check = connection.CreateCommand();
            check.CommandText = CheckSql;
            var thing = check.AddParameter("@thing", 0L);
            var reader = check.AddParameter("@reader", string.Empty);
            var period = check.AddParameter("@period", 0);
            var apiToken = check.AddParameter("@token", 0L);
            // Parsed and planned once for the life of the connection (on PostgreSQL, prepared on the server).
            await token.PrepareAsync(cancellationToken);
            await check.PrepareAsync(cancellationToken);
            return new Session(connection, token, hash, check, thing, reader, period, apiToken);
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

    private sealed record Session(
        DbConnection Connection, DbCommand Token, DbParameter Hash, DbCommand Check, DbParameter Thing, DbParameter Reader, DbParameter Period, DbParameter ApiToken)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Token.DisposeAsync();
            await Check.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
