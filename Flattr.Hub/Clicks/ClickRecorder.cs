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
/// The <see cref="ClickWriter"/> checks each flattr (the thing, its creator and installation, the reader's budget and
/// lock, the API token's validity, an earlier click) and stores the new ones, with the other flattrs of the moment in
/// one transaction; the rules are <see cref="Judge"/>.
/// </summary>
public sealed class ClickRecorder(HubDbContext db, ClickWriter writer, TimeProvider time, HubMetrics metrics, ILogger<ClickRecorder> logger)
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

        var (thing, verdict, stored) = await writer.RecordAsync(new ClickRequest(readerId, thingId, periodKey, apiTokenId ?? 0, now), cancellationToken);
        switch (verdict)
        {
            case ClickOutcome.AlreadyFlattred:
                Log.ClickRepeated(logger, readerId, thingId, periodKey);
                return new ClickResult(ClickOutcome.AlreadyFlattred, thingId, thing.Url, period, thing.EarlierClick);
            case ClickOutcome.Created when stored is true:
                metrics.ClicksRecorded.Add(1, new KeyValuePair<string, object?>("channel", channel));
                Log.ClickRecorded(logger, readerId, thingId, periodKey, channel);
                return new ClickResult(ClickOutcome.Created, thingId, thing.Url, period, now);
            case ClickOutcome.Created:
                // A concurrent request (here or in another Hub process) stored the same click first; the index kept one.
                Log.ClickRaceResolved(logger, readerId, thingId);
                var earlier = await db.Clicks.AsNoTracking()
                    .Where(c => c.ReaderId == readerId && c.ThingId == thingId && c.Period == periodKey)
                    .Select(c => (DateTimeOffset?)c.ClickedAt)
                    .FirstOrDefaultAsync(cancellationToken);
                return new ClickResult(ClickOutcome.AlreadyFlattred, thingId, thing.Url, period, earlier);
            case var refused:
                Log.ClickRefused(logger, readerId, thingId, refused);
                // The reader may be sent back to a thing they cannot flattr; not to one that is gone, nor after a refused token.
                var url = refused is ClickOutcome.OwnThing or ClickOutcome.NoBudget ? thing.Url : null;
                return new ClickResult(refused, thingId, url, period, null);
        }
    }

    /// <summary>
    /// The rules of a flattr, in the order they are applied, on what <paramref name="check"/> read: the refusal, or
    /// <see cref="ClickOutcome.AlreadyFlattred"/> for an earlier click of the period, or <see cref="ClickOutcome.Created"/>
    /// when the click may be stored.
    /// </summary>
    /// <param name="check">What the flattr depends on, read in one statement.</param>
    /// <param name="readerId">The reader's account id.</param>
    /// <param name="withToken">Whether the flattr came with an API token (which must still be valid, its account not locked).</param>
    /// <param name="now">The time of the flattr.</param>
    internal static ClickOutcome Judge(ClickCheck check, string readerId, bool withToken, DateTimeOffset now)
    {
        if (withToken && !check.TokenValid)
        {
            return ClickOutcome.TokenRevoked;
        }

        if (withToken && check.LockoutEnd is { } lockoutEnd && lockoutEnd > now)
        {
            return ClickOutcome.AccountLocked;
        }

        if (check.Url is null || check.RetiredAt is not null || check.InstallationDisabledAt is not null)
        {
            return ClickOutcome.UnknownThing;
        }

        if (check.CreatorAccountId == readerId)
        {
            return ClickOutcome.OwnThing;
        }

        if (check.Budget is null or <= 0)
        {
            return ClickOutcome.NoBudget;
        }

        return check.EarlierClick is null ? ClickOutcome.Created : ClickOutcome.AlreadyFlattred;
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
