using System.Data.Common;
using System.Threading.Channels;
using Flattr.Hub.Infrastructure.Database;

namespace Flattr.Hub.Clicks;

/// <summary>A flattr to check and, when every check passes, to store.</summary>
/// <param name="ReaderId">The reader's account id.</param>
/// <param name="ThingId">The Hub's thing id.</param>
/// <param name="Period">The period key (<see cref="Click.PeriodKey"/>).</param>
/// <param name="ApiTokenId">The API token the flattr came with, or 0 for none (the button page).</param>
/// <param name="ClickedAt">When the reader clicked.</param>
internal sealed record ClickRequest(string ReaderId, long ThingId, int Period, long ApiTokenId, DateTimeOffset ClickedAt);

/// <summary>Everything a flattr is checked against, read at once, in the transaction that stores it.</summary>
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

/// <summary>What the writer did with a <see cref="ClickRequest"/>.</summary>
/// <param name="Check">Everything the flattr was checked against, read in the transaction that stored it.</param>
/// <param name="Verdict">What the rules made of it (<see cref="ClickRecorder.Judge"/>), on what <paramref name="Check"/> read.</param>
/// <param name="Stored">
/// True when this request's click was stored; false when every check passed but the click was already there (stored
/// by a concurrent request or another Hub process); null when the verdict was not <see cref="ClickOutcome.Created"/>.
/// </param>
internal sealed record ClickWritten(ClickCheck Check, ClickOutcome Verdict, bool? Stored);

/// <summary>
/// The one writer of new clicks (and of API token use times) in a Hub process: group commit. Requests hand their flattr
/// over and wait; the writer takes every flattr that is waiting and, in ONE transaction, reads what each depends on
/// with one statement for the whole group (<see cref="ClickCheck"/>: the thing, its creator and installation, the reader's
/// budget and lock, the API token, an earlier click), judges each (<see cref="ClickRecorder.Judge"/>), inserts those that
/// pass with <c>INSERT … ON CONFLICT DO NOTHING</c> (which tells the clicks it stored from those already there), commits
/// once (one fsync for the whole group), and only then answers each request. A click is therefore on disk when its 201
/// is sent, yet a burst costs one read, one insert and one commit per group instead of per click, and on SQLite, which
/// has one write lock per file, the requests never queue on that lock. The unique index on (reader, thing, period)
/// still decides every race, also between several Hub processes.
/// </summary>
public sealed class ClickWriter : IAsyncDisposable
{
    /// <summary>The PostgreSQL application name of the writer's connection.</summary>
    public const string ApplicationName = "Flattr.Hub click writer";

    /// <summary>The most clicks one transaction takes; a longer queue is written in several groups.</summary>
    public const int MaxGroup = 512;

    private readonly HubConnection _database;
    private readonly ILogger<ClickWriter> _logger;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _loop;
    private WriterSession? _session; // only the writer's loop (and DisposeAsync after it) touches it

    internal ClickWriter(HubConnection database, ILogger<ClickWriter> logger)
    {
        _database = database.For(ApplicationName);
        _logger = logger;
        // Started on first use: the Hub's command-line verbs build the same services and never write a click.
        _loop = new Lazy<Task>(() => Task.Run(RunAsync), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Checks <paramref name="request"/> and stores its click when every check passes; returns, once the group's
    /// transaction is committed, what was read and whether this call stored the click.
    /// </summary>
    /// <remarks>
    /// The cancellation token only stops the wait: a flattr handed over is written even if the reader has gone, as it
    /// would be had the request finished a moment earlier.
    /// </remarks>
    internal Task<ClickWritten> RecordAsync(ClickRequest request, CancellationToken cancellationToken)
    {
        var work = new Work(request, null, default, new TaskCompletionSource<ClickWritten>(TaskCreationOptions.RunContinuationsAsynchronously));
        Enqueue(work);
        return work.Done!.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Records that API token <paramref name="tokenId"/> was used at <paramref name="at"/>, with the next group; nobody waits for it.</summary>
    public void TouchToken(long tokenId, DateTimeOffset at) => Enqueue(new Work(null, tokenId, at, null));

    private void Enqueue(Work work)
    {
        _ = _loop.Value;
        if (!_queue.Writer.TryWrite(work))
        {
            throw new InvalidOperationException("The Hub is shutting down; the click was not stored.");
        }
    }

    private async Task RunAsync()
    {
        var group = new List<Work>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var work))
            {
                group.Add(work);
            }

            await WriteGroupAsync(group).ConfigureAwait(false);
        }
    }

    // Every failure is handed to the requests that wait, whatever its type: the writer itself must never stop.
#pragma warning disable CA1031
    private async Task WriteGroupAsync(List<Work> group)
    {
        var requests = group.Where(w => w.Request is not null).ToList();
        var touches = Touches(group);
        try
        {
            var written = await WriteAsync(requests.ConvertAll(w => w.Request!), touches).ConfigureAwait(false);
            for (var i = 0; i < requests.Count; i++)
            {
                requests[i].Done!.TrySetResult(written[i]);
            }
        }
        catch (Exception e)
        {
            // One bad click (say, its thing was deleted in the meantime) must not fail the others: each alone once more.
            Log.ClickGroupFailed(_logger, requests.Count, e);
            foreach (var work in requests)
            {
                try
                {
                    var written = await WriteAsync([work.Request!], []).ConfigureAwait(false);
                    work.Done!.TrySetResult(written[0]);
                }
                catch (Exception single)
                {
                    work.Done!.TrySetException(single);
                }
            }

            try
            {
                await WriteAsync([], touches).ConfigureAwait(false);
            }
            catch (Exception touch)
            {
                // A token's last use time is for the reader's token list; losing one update loses no money.
                Log.TokenTouchFailed(_logger, touch);
            }
        }
    }
#pragma warning restore CA1031

    private static Dictionary<long, DateTimeOffset> Touches(List<Work> group)
    {
        var touches = new Dictionary<long, DateTimeOffset>();
        foreach (var work in group)
        {
            if (work.TokenId is { } id && (!touches.TryGetValue(id, out var at) || work.TokenUsedAt > at))
            {
                touches[id] = work.TokenUsedAt;
            }
        }

        return touches;
    }

    /// <summary>Checks and stores <paramref name="requests"/> and updates token use times in one transaction; returns what became of each request, in order.</summary>
    /// <remarks>
    /// Runs on the writer's own connection, kept open with its statements prepared: opening a pooled connection for
    /// every group cost PostgreSQL a round of session-reset statements per group, and the group's multi-row INSERT was
    /// parsed and planned again for every group size (docs/performance.md). Any failure closes the connection; the next
    /// group opens a new one.
    /// </remarks>
    private async Task<ClickWritten[]> WriteAsync(List<ClickRequest> requests, Dictionary<long, DateTimeOffset> touches)
    {
        _session ??= await WriterSession.OpenAsync(_database).ConfigureAwait(false);
        try
        {
            return await _session.WriteAsync(requests, touches).ConfigureAwait(false);
        }
        catch
        {
            await _session.DisposeAsync().ConfigureAwait(false);
            _session = null;
            throw;
        }
    }

    /// <summary>Writes what is still queued, then stops; runs when the Hub's services are disposed, after the server has stopped taking requests.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop.IsValueCreated)
        {
            await _loop.Value.ConfigureAwait(false);
        }

        if (_session is not null)
        {
            await _session.DisposeAsync().ConfigureAwait(false);
            _session = null;
        }
    }

    /// <summary>The writer's connection and its prepared statements.</summary>
    private sealed class WriterSession : IAsyncDisposable
    {
        // The table and column names are EF Core's defaults for the model (HubDbContext), the same on both databases.
        // One row per flattr, also for an unknown thing: the reader's and the token's state are read either way. A token
        // id of 0 (no token has it) stands for a flattr through the button page.
        private const string CheckColumns =
            """
            SELECT t."Url", t."CreatorId", t."RetiredAt", c."AccountId", i."DisabledAt", u."MonthlyBudget", u."LockoutEnd",
                   EXISTS (SELECT 1 FROM "ApiTokens" AS x WHERE x."Id" = q.token AND x."AccountId" = q.reader AND x."RevokedAt" IS NULL),
                   (SELECT k."ClickedAt" FROM "Clicks" AS k WHERE k."ReaderId" = q.reader AND k."ThingId" = t."Id" AND k."Period" = q.period)
            """;

        private const string CheckJoins =
            """
            LEFT JOIN "Things" AS t ON t."Id" = q.thing
            LEFT JOIN "Creators" AS c ON c."Id" = t."CreatorId"
            LEFT JOIN "Installations" AS i ON i."Id" = t."InstallationId"
            LEFT JOIN "AspNetUsers" AS u ON u."Id" = q.reader
            """;

        // PostgreSQL reads the whole group with one statement whose text never changes (the flattrs as arrays, unnested
        // with their positions); SQLite, in the process, reads each flattr with one prepared statement.
        private const string PostgresCheckSql =
            CheckColumns + "\nFROM unnest(@r::text[], @t::bigint[], @k::bigint[], @p::integer[]) WITH ORDINALITY AS q(reader, thing, token, period, n)\n"
            + CheckJoins + "\nORDER BY q.n";

        private const string SqliteCheckSql =
            CheckColumns + "\nFROM (SELECT @r AS reader, @t AS thing, @k AS token, @p AS period) AS q\n" + CheckJoins;

        // PostgreSQL inserts a group with one statement whose text never changes: the columns as arrays, unnested. SQLite
        // runs one prepared single-row INSERT per click inside the transaction, which costs it microseconds a row.
        private const string PostgresInsertSql =
            """
            INSERT INTO "Clicks" ("ReaderId", "ThingId", "CreatorId", "Period", "ClickedAt")
            SELECT * FROM unnest(@r::text[], @t::bigint[], @c::bigint[], @p::integer[], @a::timestamptz[])
            ON CONFLICT ("ReaderId", "ThingId", "Period") DO NOTHING
            RETURNING "ReaderId", "ThingId", "Period"
            """;

        private const string SqliteInsertSql =
            """
            INSERT INTO "Clicks" ("ReaderId", "ThingId", "CreatorId", "Period", "ClickedAt") VALUES (@r, @t, @c, @p, @a)
            ON CONFLICT ("ReaderId", "ThingId", "Period") DO NOTHING
            """;

        // A burst brings many tokens' use times at once (a minute after the first burst, every token of it): PostgreSQL
        // takes them in one statement, SQLite one prepared UPDATE each.
        private const string PostgresTouchSql =
            """
            UPDATE "ApiTokens" AS t SET "LastUsedAt" = u.at
            FROM unnest(@id::bigint[], @at::timestamptz[]) AS u(id, at)
            WHERE t."Id" = u.id
            """;

        private const string SqliteTouchSql = "UPDATE \"ApiTokens\" SET \"LastUsedAt\" = @at WHERE \"Id\" = @id";

        private readonly DbConnection _connection;
        private readonly bool _sqlite;
        private readonly DbCommand _check;
        private readonly DbParameter _checkReader, _checkThing, _checkToken, _checkPeriod;
        private readonly DbCommand _insert;
        private readonly DbParameter _reader, _thing, _creator, _period, _at;
        private readonly DbCommand _touch;
        private readonly DbParameter _touchAt, _touchId;

        private WriterSession(DbConnection connection, bool sqlite)
        {
            _connection = connection;
            _sqlite = sqlite;
            _check = connection.CreateCommand();
            _check.CommandText = sqlite ? SqliteCheckSql : PostgresCheckSql;
            _checkReader = _check.AddParameter("@r", sqlite ? string.Empty : Array.Empty<string>());
            _checkThing = _check.AddParameter("@t", sqlite ? 0L : Array.Empty<long>());
            _checkToken = _check.AddParameter("@k", sqlite ? 0L : Array.Empty<long>());
            _checkPeriod = _check.AddParameter("@p", sqlite ? 0 : Array.Empty<int>());
            _insert = connection.CreateCommand();
            _insert.CommandText = sqlite ? SqliteInsertSql : PostgresInsertSql;
            _reader = _insert.AddParameter("@r", sqlite ? string.Empty : Array.Empty<string>());
            _thing = _insert.AddParameter("@t", sqlite ? 0L : Array.Empty<long>());
            _creator = _insert.AddParameter("@c", sqlite ? 0L : Array.Empty<long>());
            _period = _insert.AddParameter("@p", sqlite ? 0 : Array.Empty<int>());
            _at = _insert.AddParameter("@a", sqlite ? 0L : Array.Empty<DateTimeOffset>());
            _touch = connection.CreateCommand();
            _touch.CommandText = sqlite ? SqliteTouchSql : PostgresTouchSql;
            _touchAt = _touch.AddParameter("@at", sqlite ? StoredValues.Instant(DateTimeOffset.UnixEpoch, sqlite) : Array.Empty<DateTimeOffset>());
            _touchId = _touch.AddParameter("@id", sqlite ? 0L : Array.Empty<long>());
        }

        public static async Task<WriterSession> OpenAsync(HubConnection database)
        {
            var connection = database.Create();
            try
            {
                await connection.OpenAsync().ConfigureAwait(false);
                var session = new WriterSession(connection, database.IsSqlite);
                await session._check.PrepareAsync().ConfigureAwait(false);
                await session._insert.PrepareAsync().ConfigureAwait(false);
                await session._touch.PrepareAsync().ConfigureAwait(false);
                return session;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public async Task<ClickWritten[]> WriteAsync(List<ClickRequest> requests, Dictionary<long, DateTimeOffset> touches)
        {
            await using var transaction = await _connection.BeginTransactionAsync().ConfigureAwait(false);
            _check.Transaction = transaction;
            _insert.Transaction = transaction;
            _touch.Transaction = transaction;

            var checks = await CheckAsync(requests).ConfigureAwait(false);
            // The clicks to insert: those the rules let through, each (reader, thing, period) once; a second request for
            // the same pair in one group finds the first one's click there, as it would a moment later.
            var verdicts = new ClickOutcome[requests.Count];
            var clicks = new List<(ClickRequest Request, long CreatorId)>();
            var pairs = new HashSet<(string, long, int)>();
            for (var i = 0; i < requests.Count; i++)
            {
                var request = requests[i];
                verdicts[i] = ClickRecorder.Judge(checks[i], request.ReaderId, request.ApiTokenId != 0, request.ClickedAt);
                if (verdicts[i] == ClickOutcome.Created && pairs.Add((request.ReaderId, request.ThingId, request.Period)))
                {
                    clicks.Add((request, checks[i].CreatorId));
                }
            }

            var inserted = await InsertAsync(clicks).ConfigureAwait(false);
            await TouchAsync(touches).ConfigureAwait(false);

            await transaction.CommitAsync().ConfigureAwait(false);
            var written = new ClickWritten[requests.Count];
            for (var i = 0; i < requests.Count; i++)
            {
                var stored = verdicts[i] == ClickOutcome.Created ? inserted.Remove((requests[i].ReaderId, requests[i].ThingId, requests[i].Period)) : (bool?)null;
                written[i] = new ClickWritten(checks[i], verdicts[i], stored);
            }

            return written;
        }

        private async Task<ClickCheck[]> CheckAsync(List<ClickRequest> requests)
        {
            var checks = new ClickCheck[requests.Count];
            if (requests.Count == 0)
            {
                return checks;
            }

            if (_sqlite)
            {
                for (var i = 0; i < requests.Count; i++)
                {
                    _checkReader.Value = requests[i].ReaderId;
                    _checkThing.Value = requests[i].ThingId;
                    _checkToken.Value = requests[i].ApiTokenId;
                    _checkPeriod.Value = requests[i].Period;
                    await using var reader = await _check.ExecuteReaderAsync().ConfigureAwait(false);
                    checks[i] = await reader.ReadAsync().ConfigureAwait(false)
                        ? ReadCheck(reader)
                        : throw new InvalidOperationException("The click check returned no row.");
                }

                return checks;
            }

            _checkReader.Value = requests.ConvertAll(r => r.ReaderId).ToArray();
            _checkThing.Value = requests.ConvertAll(r => r.ThingId).ToArray();
            _checkToken.Value = requests.ConvertAll(r => r.ApiTokenId).ToArray();
            _checkPeriod.Value = requests.ConvertAll(r => r.Period).ToArray();
            await using (var reader = await _check.ExecuteReaderAsync().ConfigureAwait(false))
            {
                var i = 0;
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    checks[i++] = ReadCheck(reader);
                }

                if (i != checks.Length)
                {
                    throw new InvalidOperationException($"The click check returned {i} rows for {checks.Length} flattrs.");
                }
            }

            return checks;
        }

        private ClickCheck ReadCheck(DbDataReader reader) => new(
            reader.IsDBNull(0) ? null : reader.GetString(0),
            reader.IsDBNull(1) ? 0 : reader.GetInt64(1),
            Instant(reader, 2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            Instant(reader, 4),
            reader.IsDBNull(5) ? null : reader.GetInt64(5),
            Instant(reader, 6),
            reader.GetBoolean(7),
            Instant(reader, 8));

        private DateTimeOffset? Instant(DbDataReader reader, int ordinal) =>
            reader.IsDBNull(ordinal) ? null : StoredValues.ReadInstant(reader, ordinal, _sqlite);

        // Returns the (reader, thing, period) keys that were inserted.
        private async Task<HashSet<(string ReaderId, long ThingId, int Period)>> InsertAsync(List<(ClickRequest Request, long CreatorId)> clicks)
        {
            var inserted = new HashSet<(string, long, int)>();
            if (clicks.Count > 0 && _sqlite)
            {
                foreach (var (click, creatorId) in clicks)
                {
                    _reader.Value = click.ReaderId;
                    _thing.Value = click.ThingId;
                    _creator.Value = creatorId;
                    _period.Value = click.Period;
                    _at.Value = click.ClickedAt.UtcTicks;
                    if (await _insert.ExecuteNonQueryAsync().ConfigureAwait(false) == 1)
                    {
                        inserted.Add((click.ReaderId, click.ThingId, click.Period));
                    }
                }
            }
            else if (clicks.Count > 0)
            {
                _reader.Value = clicks.ConvertAll(c => c.Request.ReaderId).ToArray();
                _thing.Value = clicks.ConvertAll(c => c.Request.ThingId).ToArray();
                _creator.Value = clicks.ConvertAll(c => c.CreatorId).ToArray();
                _period.Value = clicks.ConvertAll(c => c.Request.Period).ToArray();
                _at.Value = clicks.ConvertAll(c => c.Request.ClickedAt.ToUniversalTime()).ToArray();
                await using var reader = await _insert.ExecuteReaderAsync().ConfigureAwait(false);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    inserted.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2)));
                }
            }

            return inserted;
        }

        private async Task TouchAsync(Dictionary<long, DateTimeOffset> touches)
        {
            if (touches.Count == 0)
            {
                return;
            }

            if (_sqlite)
            {
                foreach (var (tokenId, at) in touches)
                {
                    _touchAt.Value = StoredValues.Instant(at, _sqlite);
                    _touchId.Value = tokenId;
                    await _touch.ExecuteNonQueryAsync().ConfigureAwait(false);
                }

                return;
            }

            // In the order of their ids, so that Hub processes touching the same tokens lock them in the same order.
            var ordered = touches.OrderBy(t => t.Key).ToArray();
            _touchId.Value = Array.ConvertAll(ordered, t => t.Key);
            _touchAt.Value = Array.ConvertAll(ordered, t => t.Value.ToUniversalTime());
            await _touch.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await _check.DisposeAsync().ConfigureAwait(false);
            await _insert.DisposeAsync().ConfigureAwait(false);
            await _touch.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed record Work(ClickRequest? Request, long? TokenId, DateTimeOffset TokenUsedAt, TaskCompletionSource<ClickWritten>? Done);
}
