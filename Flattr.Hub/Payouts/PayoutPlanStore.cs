using System.Data;
using System.Data.Common;
using System.Globalization;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Ledger;
using Flattr.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Flattr.Hub.Payouts;

/// <summary>What the plan decided for one reader; only readers whose fee or distribution is not zero are written.</summary>
internal readonly record struct ReaderOutcome(string ReaderId, long Fee, long Distributed, long CarriedOver);

/// <summary>The sums of a run's reader rows as stored, and how many rows do not conserve their own budget.</summary>
internal readonly record struct ReaderTotals(long Budget, long Fee, long Distributed, long CarriedOver, long Unbalanced);

/// <summary>
/// The payout plan's per-reader work in set-based SQL on the context's connection, so that a month of a million readers
/// and ten million clicks is read as a stream and written in a few statements instead of a tracked entity per row.
/// Table and column names are EF Core's defaults for <see cref="HubDbContext"/>; the payout tests run every statement
/// on SQLite and PostgreSQL.
/// </summary>
internal static class PayoutPlanStore
{
    // Every reader with a monthly budget, frozen at the cutoff: the budget, never more than their funds, zero below the
    // minimum. A frozen budget that is not split yet is carried over whole, so every row conserves its budget from the
    // start. CASE instead of GREATEST/LEAST: SQLite has neither. In reader order, so both indexes are written front to
    // back.
    private const string FreezeSql = """
        INSERT INTO "PayoutRunReaders" ("RunId", "ReaderId", "MonthlyBudget", "FundsAtCutoff", "Budget", "Fee", "Distributed", "CarriedOver")
        SELECT @run, r."Id", r."MonthlyBudget", r."Available",
               CASE WHEN r."Taken" < @minimum THEN 0 ELSE r."Taken" END, 0, 0,
               CASE WHEN r."Taken" < @minimum THEN 0 ELSE r."Taken" END
        FROM (
            SELECT f."Id", f."MonthlyBudget", f."Available",
                   CASE WHEN f."MonthlyBudget" < f."Available" THEN f."MonthlyBudget" ELSE f."Available" END AS "Taken"
            FROM (
                SELECT u."Id", u."MonthlyBudget",
                       CASE WHEN COALESCE(h."Held", 0) > 0 THEN h."Held" ELSE 0 END AS "Available"
                FROM "AspNetUsers" AS u
                LEFT JOIN (
                    SELECT "Account", -SUM("Amount") AS "Held"
                    FROM "LedgerEntries"
                    WHERE "Account" LIKE @fundsPattern
                    GROUP BY "Account"
                ) AS h ON h."Account" = @fundsPrefix || u."Id" || @fundsSuffix
                WHERE u."MonthlyBudget" > 0
            ) AS f
        ) AS r
        ORDER BY r."Id"
        """;

    // Clicks of the period, without self-flattrs (a click on a thing whose creator the reader has claimed).
    private const string ClicksSql = """
        SELECT c."ReaderId", c."ThingId", c."CreatorId", c."ClickedAt"
        FROM "Clicks" AS c
        JOIN "Creators" AS cr ON cr."Id" = c."CreatorId"
        WHERE c."Period" = @period AND (cr."AccountId" IS NULL OR cr."AccountId" <> c."ReaderId")
        """;

    private const string TotalsSql = """
        SELECT COALESCE(SUM("Budget"), 0), COALESCE(SUM("Fee"), 0), COALESCE(SUM("Distributed"), 0), COALESCE(SUM("CarriedOver"), 0),
               COALESCE(SUM(CASE WHEN "Budget" <> "Fee" + "Distributed" + "CarriedOver" THEN 1 ELSE 0 END), 0)
        FROM "PayoutRunReaders" WHERE "RunId" = @run
        """;

    /// <summary>Adds a row per reader with a monthly budget to run <paramref name="runId"/>; returns how many.</summary>
    public static async Task<int> FreezeBudgetsAsync(HubDbContext db, Guid runId, long minimumBudget, CancellationToken cancellationToken)
    {
        var sqlite = db.Database.IsSqlite();
        await using var command = Command(db, FreezeSql);
        command.AddParameter("@run", StoredValues.Guid(runId, sqlite));
        command.AddParameter("@minimum", minimumBudget);
        command.AddParameter("@fundsPattern", LedgerAccounts.ReaderFundsPrefix + "%");
        command.AddParameter("@fundsPrefix", LedgerAccounts.ReaderFundsPrefix);
        command.AddParameter("@fundsSuffix", LedgerAccounts.ReaderFundsSuffix);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Gives the split every frozen budget above zero of run <paramref name="runId"/>, one row at a time.</summary>
    public static async Task AddBudgetsAsync(HubDbContext db, Guid runId, MonthlySplit split, CancellationToken cancellationToken)
    {
        var sqlite = db.Database.IsSqlite();
        await using var command = Command(db, """SELECT "ReaderId", "Budget" FROM "PayoutRunReaders" WHERE "RunId" = @run AND "Budget" > 0""");
        command.AddParameter("@run", StoredValues.Guid(runId, sqlite));
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            split.AddBudget(reader.GetString(0), reader.GetInt64(1));
        }
    }

    /// <summary>
    /// Gives the split every click of <paramref name="period"/> (yyyyMM) that is not a self-flattr, one row at a time,
    /// read on a second thread while this one records them (<see cref="MonthlySplit.AddClicks"/>); returns how many.
    /// </summary>
    public static async Task<long> AddClicksAsync(HubDbContext db, int period, MonthlySplit split, CancellationToken cancellationToken)
    {
        var sqlite = db.Database.IsSqlite();
        await using var command = Command(db, ClicksSql);
        command.AddParameter("@period", period);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        long rows = 0;
        split.AddClicks(feed =>
        {
            // Creators and things are keyed by their Hub ids, formatted into reused buffers: the engine interns what it keeps.
            Span<char> thing = stackalloc char[20];
            Span<char> creator = stackalloc char[20];
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var readerId = reader.GetString(0);
                reader.GetInt64(1).TryFormat(thing, out var thingLength, provider: CultureInfo.InvariantCulture);
                reader.GetInt64(2).TryFormat(creator, out var creatorLength, provider: CultureInfo.InvariantCulture);
                feed.Add(readerId, thing[..thingLength], creator[..creatorLength], StoredValues.ReadInstant(reader, 3, sqlite));
                rows++;
            }
        });
        return rows;
    }

    /// <summary>
    /// Writes each outcome to its reader's row of run <paramref name="runId"/> and puts every other row back to its
    /// unsplit state (a repeated compute starts from the frozen budgets); returns how many rows took an outcome, which
    /// the caller checks against the outcomes it gave.
    /// </summary>
    public static async Task<long> WriteOutcomesAsync(HubDbContext db, Guid runId, IReadOnlyList<ReaderOutcome> outcomes, CancellationToken cancellationToken)
    {
        return db.Database.IsSqlite()
            ? await WriteOutcomesOneByOneAsync(db, runId, outcomes, cancellationToken)
            : await WriteOutcomesByCopyAsync(db, runId, outcomes, cancellationToken);
    }

    /// <summary>
    /// Adds to ledger transaction <paramref name="transactionId"/> a debit of each reader's funds by their fee and
    /// distribution in run <paramref name="runId"/> (readers with nothing to debit get no entry); returns how many.
    /// </summary>
    public static async Task<int> BookReaderDebitsAsync(HubDbContext db, Guid runId, long transactionId, string currency, CancellationToken cancellationToken)
    {
        await using var command = Command(db, """
            INSERT INTO "LedgerEntries" ("TransactionId", "Account", "Amount", "Currency")
            SELECT @transaction, @fundsPrefix || "ReaderId" || @fundsSuffix, "Fee" + "Distributed", @currency
            FROM "PayoutRunReaders"
            WHERE "RunId" = @run AND "Fee" + "Distributed" > 0
            ORDER BY "ReaderId"
            """);
        command.AddParameter("@transaction", transactionId);
        command.AddParameter("@fundsPrefix", LedgerAccounts.ReaderFundsPrefix);
        command.AddParameter("@fundsSuffix", LedgerAccounts.ReaderFundsSuffix);
        command.AddParameter("@currency", currency);
        command.AddParameter("@run", StoredValues.Guid(runId, db.Database.IsSqlite()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The stored sums of run <paramref name="runId"/>'s reader rows.</summary>
    public static async Task<ReaderTotals> TotalsAsync(HubDbContext db, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = Command(db, TotalsSql);
        command.AddParameter("@run", StoredValues.Guid(runId, db.Database.IsSqlite()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ReaderTotals(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    // SQLite runs in process and updates in place: reset every row that is not in its unsplit state, then one prepared
    // statement per outcome, a few microseconds each, no round trip.
    private static async Task<long> WriteOutcomesOneByOneAsync(HubDbContext db, Guid runId, IReadOnlyList<ReaderOutcome> outcomes, CancellationToken cancellationToken)
    {
        await using (var reset = Command(db, """
            UPDATE "PayoutRunReaders" SET "Fee" = 0, "Distributed" = 0, "CarriedOver" = "Budget"
            WHERE "RunId" = @run AND ("Fee" <> 0 OR "Distributed" <> 0 OR "CarriedOver" <> "Budget")
            """))
        {
            reset.AddParameter("@run", StoredValues.Guid(runId, sqlite: true));
            await reset.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = Command(db, """
            UPDATE "PayoutRunReaders" SET "Fee" = @fee, "Distributed" = @distributed, "CarriedOver" = @carried
            WHERE "RunId" = @run AND "ReaderId" = @reader
            """);
        command.AddParameter("@run", StoredValues.Guid(runId, sqlite: true));
        var reader = command.AddParameter("@reader", string.Empty);
        var fee = command.AddParameter("@fee", 0L);
        var distributed = command.AddParameter("@distributed", 0L);
        var carried = command.AddParameter("@carried", 0L);
        await command.PrepareAsync(cancellationToken);
        long updated = 0;
        foreach (var outcome in outcomes)
        {
            reader.Value = outcome.ReaderId;
            fee.Value = outcome.Fee;
            distributed.Value = outcome.Distributed;
            carried.Value = outcome.CarriedOver;
            updated += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return updated;
    }

    // PostgreSQL is a round trip away: the outcomes go in with one binary COPY into a temporary table, and two UPDATEs
    // join it to the run's rows, so each row is written at most once (the table's free space keeps that write on the
    // row's page; see PostgresHubDbContext). The temporary table lives until the transaction ends.
    private static async Task<long> WriteOutcomesByCopyAsync(HubDbContext db, Guid runId, IReadOnlyList<ReaderOutcome> outcomes, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var create = Command(db, """
            CREATE TEMPORARY TABLE payout_outcomes (reader_id text NOT NULL, fee bigint NOT NULL, distributed bigint NOT NULL, carried_over bigint NOT NULL)
            ON COMMIT DROP
            """))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY payout_outcomes (reader_id, fee, distributed, carried_over) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            copy.Timeout = TimeSpan.Zero; // like the plan's other statements: no time limit, the caller's token cancels
            foreach (var outcome in outcomes)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(outcome.ReaderId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(outcome.Fee, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(outcome.Distributed, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(outcome.CarriedOver, NpgsqlDbType.Bigint, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var reset = Command(db, """
            ANALYZE payout_outcomes;
            UPDATE "PayoutRunReaders" AS r SET "Fee" = 0, "Distributed" = 0, "CarriedOver" = r."Budget"
            WHERE r."RunId" = @run AND (r."Fee" <> 0 OR r."Distributed" <> 0 OR r."CarriedOver" <> r."Budget")
              AND NOT EXISTS (SELECT 1 FROM payout_outcomes AS o WHERE o.reader_id = r."ReaderId")
            """))
        {
            reset.AddParameter("@run", runId);
            await reset.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var update = Command(db, """
            UPDATE "PayoutRunReaders" AS r SET "Fee" = o.fee, "Distributed" = o.distributed, "CarriedOver" = o.carried_over
            FROM payout_outcomes AS o
            WHERE r."RunId" = @run AND r."ReaderId" = o.reader_id
            """);
        update.AddParameter("@run", runId);
        return await update.ExecuteNonQueryAsync(cancellationToken);
    }

    // A command on the context's connection, in its current transaction (SQLite requires the command to name it).
    // Long statements: a month's plan may take minutes on a large hub, and the caller's token cancels it.
    private static DbCommand Command(HubDbContext db, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandTimeout = 0;
        return command;
    }
}
