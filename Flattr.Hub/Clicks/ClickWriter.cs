using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Flattr.Hub.Infrastructure.Database;
using Microsoft.EntityFrameworkCore;

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
/// <c>INSERT … ON CONFLICT DO NOTHING RETURNING</c>, commits once (one fsync for the whole group), and only then answers
/// each request. A click is therefore on disk when its 201 is sent, yet a burst costs one commit per group instead of
/// one per click, and on SQLite, which has one write lock per file, the requests never queue on that lock.
/// The unique index on (reader, thing, period) still decides every race, also between several Hub processes.
/// </summary>
public sealed class ClickWriter : IAsyncDisposable
{
    /// <summary>The most clicks one transaction takes (5 parameters each, well inside either database's limit).</summary>
    public const int MaxGroup = 512;

    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<ClickWriter> _logger;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _loop;

    public ClickWriter(IServiceScopeFactory scopes, ILogger<ClickWriter> logger)
    {
        _scopes = scopes;
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
    private async Task<HashSet<(string ReaderId, long ThingId)>> InsertAsync(List<NewClick> clicks, Dictionary<long, DateTimeOffset> touches)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var sqlite = db.Database.IsSqlite();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var inserted = new HashSet<(string, long)>();

        if (clicks.Count > 0)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            var sql = new StringBuilder("INSERT INTO \"Clicks\" (\"ReaderId\", \"ThingId\", \"CreatorId\", \"Period\", \"ClickedAt\") VALUES ");
            for (var i = 0; i < clicks.Count; i++)
            {
                var c = clicks[i];
                sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ", ")}(@r{i}, @t{i}, @c{i}, @p{i}, @a{i})");
                insert.AddParameter($"@r{i}", c.ReaderId);
                insert.AddParameter($"@t{i}", c.ThingId);
                insert.AddParameter($"@c{i}", c.CreatorId);
                insert.AddParameter($"@p{i}", c.Period);
                insert.AddParameter($"@a{i}", StoredValues.Instant(c.ClickedAt, sqlite));
            }

            sql.Append(" ON CONFLICT (\"ReaderId\", \"ThingId\", \"Period\") DO NOTHING RETURNING \"ReaderId\", \"ThingId\"");
            insert.CommandText = sql.ToString();
            await using var reader = await insert.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                inserted.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        foreach (var (tokenId, at) in touches)
        {
            await using var touch = connection.CreateCommand();
            touch.Transaction = transaction;
            touch.CommandText = "UPDATE \"ApiTokens\" SET \"LastUsedAt\" = @at WHERE \"Id\" = @id";
            touch.AddParameter("@at", StoredValues.Instant(at, sqlite));
            touch.AddParameter("@id", tokenId);
            await touch.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return inserted;
    }


    /// <summary>Writes what is still queued, then stops; runs when the Hub's services are disposed, after the server has stopped taking requests.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop.IsValueCreated)
        {
            await _loop.Value.ConfigureAwait(false);
        }
    }

    private sealed record Work(NewClick? Click, long? TokenId, DateTimeOffset TokenUsedAt, TaskCompletionSource<bool>? Done);
}
