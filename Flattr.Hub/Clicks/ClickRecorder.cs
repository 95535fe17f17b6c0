using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Infrastructure.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Flattr.Hub.Clicks;

/// <summary>What became of a flattr.</summary>
public enum ClickOutcome
{
    /// <summary>A new click was stored for the current period.</summary>
    Created,

    /// <summary>The reader had already flattred the thing in the current period; nothing changed.</summary>
    AlreadyFlattred,

    /// <summary>The thing's creator is claimed by the reader: nobody flattrs their own work.</summary>
    OwnThing,

    /// <summary>No such thing, or it is retired, or its installation is disabled.</summary>
    UnknownThing,

    /// <summary>The reader has no monthly budget, so a flattr would give nothing.</summary>
    NoBudget,

    /// <summary>The API token the flattr came with has been revoked (or is no longer the reader's).</summary>
    TokenRevoked,

    /// <summary>The reader's account is locked; its API tokens do not flattr.</summary>
    AccountLocked,
}

/// <summary>The result of <see cref="ClickRecorder.RecordAsync(string, long, string, long?, CancellationToken)"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="ThingId">The Hub's thing id.</param>
/// <param name="ThingUrl">The thing's stored address, when the thing is known; readers are sent back there.</param>
/// <param name="Period">The period the click counts in.</param>
/// <param name="ClickedAt">When the reader's click of this period was stored, for <see cref="ClickOutcome.Created"/> and <see cref="ClickOutcome.AlreadyFlattred"/>.</param>
public sealed record ClickResult(ClickOutcome Outcome, long ThingId, string? ThingUrl, Period Period, DateTimeOffset? ClickedAt);

/// <summary>
/// Records flattrs for the button page and the reader API alike. A reader flattrs a thing at most once per period; the
/// UNIQUE index on (reader, thing, period) decides that, so any number of Hub processes agree without shared state.
/// One look-up answers every check (the thing, its creator and installation, the reader's budget and lock, the API
/// token's validity, an earlier click);
/// a new click then goes to the <see cref="ClickWriter"/>, which commits it with the other clicks of the moment.
/// </summary>
public sealed class ClickRecorder(HubDbContext db, ClickPathQueries queries, ClickWriter writer, TimeProvider time, HubMetrics metrics, ILogger<ClickRecorder> logger)
{
    /// <summary>Records a flattr of thing <paramref name="thingId"/> by <paramref name="readerId"/> in the current period.</summary>
    /// <param name="readerId">The reader's account id.</param>
    /// <param name="thingId">The Hub's thing id.</param>
    /// <param name="channel">Where the click came from (<c>button</c>, <c>api</c>), for logs and metrics.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public Task<ClickResult> RecordAsync(string readerId, long thingId, string channel, CancellationToken cancellationToken) =>
        RecordAsync(readerId, thingId, channel, apiTokenId: null, cancellationToken);

    /// <summary>
    /// Records a flattr of thing <paramref name="thingId"/> by <paramref name="readerId"/> in the current period, made
    /// with API token <paramref name="apiTokenId"/>: in the same read as every other check, the token must still be the
    /// reader's and not revoked, and the reader's account not locked.
    /// </summary>
    /// <param name="readerId">The reader's account id.</param>
    /// <param name="thingId">The Hub's thing id.</param>
    /// <param name="channel">Where the click came from (<c>button</c>, <c>api</c>), for logs and metrics.</param>
    /// <param name="apiTokenId">The API token's id, or null for a flattr without one (the button page).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<ClickResult> RecordAsync(string readerId, long thingId, string channel, long? apiTokenId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(readerId);
        var now = time.GetUtcNow();
        var period = Period.Containing(now);
        var periodKey = Click.PeriodKey(period);

        var thing = await queries.CheckAsync(thingId, readerId, periodKey, apiTokenId ?? 0, cancellationToken);
        if (apiTokenId is not null && !thing.TokenValid)
        {
            return Refuse(ClickOutcome.TokenRevoked, null);
        }

        if (apiTokenId is not null && thing.LockoutEnd is { } lockoutEnd && lockoutEnd > now)
        {
            return Refuse(ClickOutcome.AccountLocked, null);
        }

        if (thing.Url is null || thing.RetiredAt is not null || thing.InstallationDisabledAt is not null)
        {
            return Refuse(ClickOutcome.UnknownThing, null);
        }

        if (thing.CreatorAccountId == readerId)
        {
            return Refuse(ClickOutcome.OwnThing, thing.Url);
        }

        if (thing.Budget is null or <= 0)
        {
            return Refuse(ClickOutcome.NoBudget, thing.Url);
        }

        if (thing.EarlierClick is { } earlier)
        {
            Log.ClickRepeated(logger, readerId, thingId, periodKey);
            return new ClickResult(ClickOutcome.AlreadyFlattred, thingId, thing.Url, period, earlier);
        }

        if (!await writer.WriteAsync(new NewClick(readerId, thingId, thing.CreatorId, periodKey, now), cancellationToken))
        {
            // A concurrent request (here or in another Hub process) stored the same click first; the index kept one.
            Log.ClickRaceResolved(logger, readerId, thingId);
            var stored = await db.Clicks.AsNoTracking()
                .Where(c => c.ReaderId == readerId && c.ThingId == thingId && c.Period == periodKey)
                .Select(c => (DateTimeOffset?)c.ClickedAt)
                .FirstOrDefaultAsync(cancellationToken);
            return new ClickResult(ClickOutcome.AlreadyFlattred, thingId, thing.Url, period, stored);
        }

        metrics.ClicksRecorded.Add(1, new KeyValuePair<string, object?>("channel", channel));
        Log.ClickRecorded(logger, readerId, thingId, periodKey, channel);
        return new ClickResult(ClickOutcome.Created, thingId, thing.Url, period, now);

        ClickResult Refuse(ClickOutcome outcome, string? url)
        {
            Log.ClickRefused(logger, readerId, thingId, outcome);
            return new ClickResult(outcome, thingId, url, period, null);
        }
    }

    /// <summary>
    /// True when the database refused a write because of a UNIQUE index: SQLite's SQLITE_CONSTRAINT_UNIQUE (2067) or
    /// PostgreSQL's unique_violation (23505).
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException switch
        {
            SqliteException sqlite => sqlite.SqliteExtendedErrorCode == SqliteConstraintUnique,
            PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
            _ => false,
        };
    }

    private const int SqliteConstraintUnique = 2067;
}
