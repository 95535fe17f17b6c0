using System.Data.Common;
using System.Threading.Channels;
using Flattr.Hub.Infrastructure.Database;

namespace Flattr.Hub.Clicks;

/// <summary>A click that passed every check and waits for its write.</summary>
/// <param name="ReaderId">The reader's account id.</param>
/// <param name="ThingId">The Hub's thing id.</param>
/// <param name="CreatorId">The thing's creator at the time of the click.</param>
/// <param name="Period">The period key (<see cref="Click.PeriodKey"/>).</param>
/// <param name="ClickedAt">When the reader clicked.</param>
public sealed record NewClick(string ReaderId, long ThingId, long CreatorId, int Period, DateTimeOffset ClickedAt);

/// <summary>
/// The one writer of new clicks (and of API token use times) in a Hub process: group commit. Requests hand their click
/// over and wait; the writer takes every click that is waiting, inserts them in ONE transaction with
/// <c>INSERT … ON CONFLICT DO NOTHING</c> (which tells the clicks it stored from those already there), commits once (one fsync for the whole group), and only then answers
/// each request. A click is therefore on disk when its 201 is sent, yet a burst costs one commit per group instead of
/// one per click, and on SQLite, which has one write lock per file, the requests never queue on that lock.
/// The unique index on (reader, thing, period) still decides every race, also between several Hub processes.
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
    /// Stores <paramref name="click"/> and returns when it is committed: true when this call stored it, false when the
    /// reader's click of the period was already there (stored by a concurrent request or another process).
    /// </summary>
    /// <remarks>
    /// The cancellation token only stops the wait: a click handed over is written even if the reader has gone, as it
    /// would be had the request finished a moment earlier.
    /// </remarks>
    public Task<bool> WriteAsync(NewClick click, CancellationToken cancellationToken)
    {
        var work = new Work(click, null, default, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
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
        var clicks = group.Where(w => w.Click is not null).ToList();
        var touches = Touches(group);
        try
        {
            var inserted = await InsertAsync(Distinct(clicks), touches).ConfigureAwait(false);
            foreach (var work in clicks)
            {
                // A pair twice in one group: the first request stored it, the second finds it there.
                work.Done!.TrySetResult(inserted.Remove((work.Click!.ReaderId, work.Click.ThingId)));
            }
        }
        catch (Exception e)
        {
            // One bad click (say, its thing was deleted in the meantime) must not fail the others: each alone once more.
            Log.ClickGroupFailed(_logger, clicks.Count, e);
            foreach (var work in clicks)
            {
                try
                {
                    var inserted = await InsertAsync([work.Click!], []).ConfigureAwait(false);
                    work.Done!.TrySetResult(inserted.Count == 1);
                }
                catch (Exception single)
                {
                    work.Done!.TrySetException(single);
                }
            }

            try
            {
                await InsertAsync([], touches).ConfigureAwait(false);
            }
            catch (Exception touch)
            {
                // A token's last use time is for the reader's token list; losing one update loses no money.
                Log.TokenTouchFailed(_logger, touch);
            }
        }
    }
#pragma warning restore CA1031

    private static List<NewClick> Distinct(List<Work> clicks) =>
        clicks.Select(w => w.Click!).DistinctBy(c => (c.ReaderId, c.ThingId, c.Period)).ToList();

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

    /// <summary>Inserts <paramref name="clicks"/> and updates token use times in one transaction; returns the pairs that were inserted.</summary>
    /// <remarks>
    /// Runs on the writer's own connection, kept open with its statements prepared: opening a pooled connection for
    /// every group cost PostgreSQL a round of session-reset statements per group, and the group's multi-row INSERT was
    /// parsed and planned again for every group size (docs/performance.md). Any failure closes the connection; the next
    /// group opens a new one.
    /// </remarks>
    private async Task<HashSet<(string ReaderId, long ThingId)>> InsertAsync(List<NewClick> clicks, Dictionary<long, DateTimeOffset> touches)
    {
        _session ??= await WriterSession.OpenAsync(_database).ConfigureAwait(false);
        try
        {
            return await _session.WriteAsync(clicks, touches).ConfigureAwait(false);
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
        // PostgreSQL takes a group in one statement whose text never changes: the columns as arrays, unnested. SQLite
        // runs one prepared single-row INSERT per click inside the transaction, which costs it microseconds a row.
        private const string PostgresInsertSql =
            """
            INSERT INTO "Clicks" ("ReaderId", "ThingId", "CreatorId", "Period", "ClickedAt")
            SELECT * FROM unnest(@r::text[], @t::bigint[], @c::bigint[], @p::integer[], @a::timestamptz[])
            ON CONFLICT ("ReaderId", "ThingId", "Period") DO NOTHING
            RETURNING "ReaderId", "ThingId"
            """;

        private const string SqliteInsertSql =
            """
            INSERT INTO "Clicks" ("ReaderId", "ThingId", "CreatorId", "Period", "ClickedAt") VALUES (@r, @t, @c, @p, @a)
            ON CONFLICT ("ReaderId", "ThingId", "Period") DO NOTHING
            """;

        private const string TouchSql = "UPDATE \"ApiTokens\" SET \"LastUsedAt\" = @at WHERE \"Id\" = @id";

        private readonly DbConnection _connection;
        private readonly bool _sqlite;
        private readonly DbCommand _insert;
        private readonly DbParameter _reader, _thing, _creator, _period, _at;
        private readonly DbCommand _touch;
        private readonly DbParameter _touchAt, _touchId;

        private WriterSession(DbConnection connection, bool sqlite)
        {
            _connection = connection;
            _sqlite = sqlite;
            _insert = connection.CreateCommand();
            _insert.CommandText = sqlite ? SqliteInsertSql : PostgresInsertSql;
            _reader = _insert.AddParameter("@r", sqlite ? string.Empty : Array.Empty<string>());
            _thing = _insert.AddParameter("@t", sqlite ? 0L : Array.Empty<long>());
            _creator = _insert.AddParameter("@c", sqlite ? 0L : Array.Empty<long>());
            _period = _insert.AddParameter("@p", sqlite ? 0 : Array.Empty<int>());
            _at = _insert.AddParameter("@a", sqlite ? 0L : Array.Empty<DateTimeOffset>());
            _touch = connection.CreateCommand();
            _touch.CommandText = TouchSql;
            _touchAt = _touch.AddParameter("@at", StoredValues.Instant(DateTimeOffset.UnixEpoch, sqlite));
            _touchId = _touch.AddParameter("@id", 0L);
        }

        public static async Task<WriterSession> OpenAsync(HubConnection database)
        {
            var connection = database.Create();
            try
            {
                await connection.OpenAsync().ConfigureAwait(false);
                var session = new WriterSession(connection, database.IsSqlite);
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

        public async Task<HashSet<(string ReaderId, long ThingId)>> WriteAsync(List<NewClick> clicks, Dictionary<long, DateTimeOffset> touches)
        {
            var inserted = new HashSet<(string, long)>();
            await using var transaction = await _connection.BeginTransactionAsync().ConfigureAwait(false);
            _insert.Transaction = transaction;
            _touch.Transaction = transaction;
            if (clicks.Count > 0 && _sqlite)
            {
                foreach (var click in clicks)
                {
                    _reader.Value = click.ReaderId;
                    _thing.Value = click.ThingId;
                    _creator.Value = click.CreatorId;
                    _period.Value = click.Period;
                    _at.Value = click.ClickedAt.UtcTicks;
                    if (await _insert.ExecuteNonQueryAsync().ConfigureAwait(false) == 1)
                    {
                        inserted.Add((click.ReaderId, click.ThingId));
                    }
                }
            }
            else if (clicks.Count > 0)
            {
                _reader.Value = clicks.Select(c => c.ReaderId).ToArray();
                _thing.Value = clicks.Select(c => c.ThingId).ToArray();
                _creator.Value = clicks.Select(c => c.CreatorId).ToArray();
                _period.Value = clicks.Select(c => c.Period).ToArray();
                _at.Value = clicks.Select(c => c.ClickedAt.ToUniversalTime()).ToArray();
                await using var reader = await _insert.ExecuteReaderAsync().ConfigureAwait(false);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    inserted.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }

            foreach (var (tokenId, at) in touches)
            {
                _touchAt.Value = StoredValues.Instant(at, _sqlite);
                _touchId.Value = tokenId;
                await _touch.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await transaction.CommitAsync().ConfigureAwait(false);
            return inserted;
        }

        public async ValueTask DisposeAsync()
        {
            await _insert.DisposeAsync().ConfigureAwait(false);
            await _touch.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed record Work(NewClick? Click, long? TokenId, DateTimeOffset TokenUsedAt, TaskCompletionSource<bool>? Done);
}
