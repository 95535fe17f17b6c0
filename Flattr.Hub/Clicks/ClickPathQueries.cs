using System.Data.Common;
using Flattr.Hub.Infrastructure.Database;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Clicks;

/// <summary>A personal API token as the click path needs it.</summary>
/// <param name="Id">The token's id.</param>
/// <param name="AccountId">The reader it belongs to.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="LastUsedAt">When it was last used, to the minute.</param>
/// <param name="LockoutEnd">Until when the reader's account is locked, if it is.</param>
internal sealed record ApiTokenRow(long Id, string AccountId, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? LockoutEnd);

/// <summary>Everything a flattr is checked against, read at once.</summary>
/// <param name="Url">The thing's address.</param>
/// <param name="CreatorId">The thing's creator.</param>
/// <param name="RetiredAt">When the thing was retired, if it was.</param>
/// <param name="CreatorAccountId">The reader account that claimed the creator, if any.</param>
/// <param name="InstallationDisabledAt">When the thing's installation was disabled, if it was.</param>
/// <param name="Budget">The reader's monthly budget (null when the reader is unknown).</param>
/// <param name="EarlierClick">When the reader flattred the thing in the period before, if they did.</param>
internal sealed record ClickCheck(
    string Url,
    long CreatorId,
    DateTimeOffset? RetiredAt,
    string? CreatorAccountId,
    DateTimeOffset? InstallationDisabledAt,
    long? Budget,
    DateTimeOffset? EarlierClick);

/// <summary>
/// The two reads every click makes (the API token, then the thing with the reader's budget and an earlier click), in
/// plain SQL on the context's connection. They are the hottest statements of the Hub: a burst of clicks runs them
/// thousands of times a second, and going through LINQ cost about 150-250 µs of CPU each on the reference machine
/// (expression caching, the query pipeline, materialisation) against a few tens for the statement itself; see
/// docs/performance.md. The tests of the click path run them on SQLite and PostgreSQL.
/// </summary>
internal static class ClickPathQueries
{
    // The table and column names are EF Core's defaults for the model (HubDbContext), the same on both databases.
    private const string TokenSql =
        """
        SELECT t."Id", t."AccountId", t."RevokedAt", t."LastUsedAt", u."LockoutEnd"
        FROM "ApiTokens" AS t LEFT JOIN "AspNetUsers" AS u ON u."Id" = t."AccountId"
        WHERE t."TokenHash" = @hash
        """;

    private const string CheckSql =
        """
        SELECT t."Url", t."CreatorId", t."RetiredAt", c."AccountId", i."DisabledAt",
               (SELECT u."MonthlyBudget" FROM "AspNetUsers" AS u WHERE u."Id" = @reader),
               (SELECT k."ClickedAt" FROM "Clicks" AS k WHERE k."ReaderId" = @reader AND k."ThingId" = t."Id" AND k."Period" = @period)
        FROM "Things" AS t
        JOIN "Creators" AS c ON c."Id" = t."CreatorId"
        LEFT JOIN "Installations" AS i ON i."Id" = t."InstallationId"
        WHERE t."Id" = @thing
        """;

    /// <summary>The token whose SHA-256 (lower-case hex) is <paramref name="hash"/>, or null.</summary>
    public static async Task<ApiTokenRow?> FindTokenAsync(HubDbContext db, string hash, CancellationToken cancellationToken)
    {
        var sqlite = db.Database.IsSqlite();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = TokenSql;
            command.AddParameter("@hash", hash);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            return new ApiTokenRow(
                reader.GetInt64(0),
                reader.GetString(1),
                Instant(reader, 2, sqlite),
                Instant(reader, 3, sqlite),
                Instant(reader, 4, sqlite));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Thing <paramref name="thingId"/> with what a flattr by <paramref name="readerId"/> in period <paramref name="period"/> depends on, or null when there is no such thing.</summary>
    public static async Task<ClickCheck?> CheckAsync(HubDbContext db, long thingId, string readerId, int period, CancellationToken cancellationToken)
    {
        var sqlite = db.Database.IsSqlite();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = CheckSql;
            command.AddParameter("@thing", thingId);
            command.AddParameter("@reader", readerId);
            command.AddParameter("@period", period);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            return new ClickCheck(
                reader.GetString(0),
                reader.GetInt64(1),
                Instant(reader, 2, sqlite),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                Instant(reader, 4, sqlite),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                Instant(reader, 6, sqlite));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static DateTimeOffset? Instant(DbDataReader reader, int ordinal, bool sqlite) =>
        reader.IsDBNull(ordinal) ? null : StoredValues.ReadInstant(reader, ordinal, sqlite);
}
