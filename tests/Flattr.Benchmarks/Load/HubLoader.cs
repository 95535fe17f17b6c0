using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Flattr.Hub;
using Flattr.Hub.Accounts;
using Flattr.Hub.Clicks;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Installations;
using Flattr.Hub.Ledger;
using Flattr.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Flattr.Benchmarks.Load;

/// <summary>
/// <c>load</c>: fills an empty Hub database with the synthetic month of <see cref="Workload"/> (the same seed gives the
/// same month as <c>generate</c>'s CSV files), through bulk paths instead of the Hub's services: one installation,
/// creators (each claimed by an account of its own), things, readers as Identity users with monthly budgets, their
/// funds as one balanced ledger transaction, personal API tokens for the first readers with a budget, and the month's
/// clicks as the Hub would have stored them (once per reader, thing and month at the earliest time; no self-flattrs;
/// the few generated clicks outside the month are left out). The schema comes from the Hub itself: migrations are
/// applied by <see cref="HubApplication.InitializeDatabaseAsync"/>.
/// </summary>
/// <remarks>
/// Writes <c>hub.env</c> (installation id and secret, counts) and <c>tokens.txt</c> (one token per line, in reader
/// order) to <c>--out</c>, for the load tests.
/// </remarks>
internal static class HubLoader
{
    private const string Currency = "EUR"; // Hub:Currency's default

    public static async Task<int> RunAsync(CommandOptions options)
    {
        var shape = options.Shape();
        var tokenCount = options.Int("--tokens", 10_000);
        var output = Path.GetFullPath(options.Text("--out", "."));
        Directory.CreateDirectory(output);
        var total = Stopwatch.StartNew();

        await using var app = HubApplication.Build(options.HubArguments());
        await app.InitializeDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<HubDbContext>();
        if (await db.Things.AnyAsync() || await db.Users.AnyAsync())
        {
            await Console.Error.WriteLineAsync("load: the database already holds things or accounts; load into an empty database.");
            return 2;
        }

        var now = TimeProvider.System.GetUtcNow();
        var secret = InstallationSecrets.NewSecret();
        var installation = new Installation
        {
            Id = InstallationSecrets.NewInstallationId(),
            Name = "Perf blog",
            BaseUrl = "https://perf.example/",
            ProtectedSecret = services.GetRequiredService<InstallationSecrets>().Protect(secret),
            CreatedAt = now,
            SecretRotatedAt = now,
        };
        db.Installations.Add(installation);
        var funding = new LedgerTransaction
        {
            Kind = "funding.manual", Reference = "perf-load:funding", Actor = "cli", Description = "Synthetic funds for the load test", At = now,
        };
        db.LedgerTransactions.Add(funding);
        await db.SaveChangesAsync();
        var roles = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, StringComparer.Ordinal);

        var workload = new Workload(shape);
        var budgets = workload.BudgetsByReader();
        var users = new UserIds(shape);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var postgres = connection is NpgsqlConnection;
        if (!postgres)
        {
            // A loader's trade: a crash mid-load leaves a database to throw away anyway.
            await Execute(connection, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
        }

        var step = Stopwatch.StartNew();
        await using (var table = await Open(connection, "AspNetUsers",
            "Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "SecurityStamp", "ConcurrencyStamp",
            "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount", "DisplayName", "MonthlyBudget", "CreatedAt"))
        {
            var random = new Random(shape.Seed + 2);
            Span<byte> stamp = stackalloc byte[16];
            foreach (var (id, reader, creator) in users.InOrdinalOrder())
            {
                var email = id + "@perf.example";
                random.NextBytes(stamp);
                table.Value.Begin();
                table.Value.Text(id);
                table.Value.Text(email);
                table.Value.Text(email.ToUpperInvariant());
                table.Value.Text(email);
                table.Value.Text(email.ToUpperInvariant());
                table.Value.Bool(true);
                table.Value.Text(Convert.ToHexString(stamp));
                table.Value.Text(new Guid(stamp).ToString());
                table.Value.Bool(false);
                table.Value.Bool(false);
                table.Value.Bool(true);
                table.Value.Int(0);
                table.Value.Text(reader >= 0 ? $"Reader {reader}" : $"Creator {creator}");
                table.Value.Long(reader >= 0 ? budgets[reader] : 0);
                table.Value.Time(now);
                table.Value.End();
            }

            await table.CompleteAsync();
        }

        await using (var table = await Open(connection, "AspNetUserRoles", "UserId", "RoleId"))
        {
            foreach (var (id, reader, _) in users.InOrdinalOrder())
            {
                table.Value.Begin();
                table.Value.Text(id);
                table.Value.Text(roles[reader >= 0 ? HubRoles.Reader : HubRoles.Creator]);
                table.Value.End();
            }

            await table.CompleteAsync();
        }

        Report("accounts", users.Count, step);

        step.Restart();
        await using (var table = await Open(connection, "LedgerEntries", "TransactionId", "Account", "Amount", "Currency"))
        {
            long sum = 0;
            for (var reader = 0; reader < budgets.Length; reader++)
            {
                if (budgets[reader] > 0)
                {
                    table.Value.Begin();
                    table.Value.Long(funding.Id);
                    table.Value.Text(LedgerAccounts.ReaderFunds(Workload.ReaderId(reader)));
                    table.Value.Long(-budgets[reader]);
                    table.Value.Text(Currency);
                    table.Value.End();
                    sum += budgets[reader];
                }
            }

            table.Value.Begin();
            table.Value.Long(funding.Id);
            table.Value.Text(LedgerAccounts.ManualReceipts);
            table.Value.Long(sum);
            table.Value.Text(Currency);
            table.Value.End();
            await table.CompleteAsync();
            Report("ledger entries", table.Value.Rows, step);
        }

        step.Restart();
        await using (var table = await Open(connection, "Creators",
            "Id", "InstallationId", "ExternalId", "Name", "AccountId", "ClaimedAt", "CreatedAt", "UpdatedAt"))
        {
            for (var creator = 0; creator < shape.Creators; creator++)
            {
                table.Value.Begin();
                table.Value.Long(creator + 1);
                table.Value.Text(installation.Id);
                table.Value.Text(Workload.CreatorId(creator));
                table.Value.Text($"Creator {creator}");
                table.Value.Text(Workload.CreatorId(creator));
                table.Value.Time(now);
                table.Value.Time(now);
                table.Value.Time(now);
                table.Value.End();
            }

            await table.CompleteAsync();
        }

        await using (var table = await Open(connection, "Things",
            "Id", "InstallationId", "ExternalId", "Url", "Title", "Category", "Language", "Tags", "Hidden", "CreatorId", "CreatedAt", "UpdatedAt"))
        {
            for (var thing = 0; thing < shape.Things; thing++)
            {
                var externalId = Workload.ThingId(thing);
                table.Value.Begin();
                table.Value.Long(thing + 1);
                table.Value.Text(installation.Id);
                table.Value.Text(externalId);
                table.Value.Text($"https://perf.example/posts/{externalId}");
                table.Value.Text($"Post {thing}");
                table.Value.Text("text");
                table.Value.Text("en");
                table.Value.Text("[]");
                table.Value.Bool(false);
                table.Value.Long(workload.CreatorIndexOf(thing) + 1);
                table.Value.Time(now);
                table.Value.Time(now);
                table.Value.End();
            }

            await table.CompleteAsync();
        }

        Report("creators and things", shape.Creators + shape.Things, step);

        step.Restart();
        var tokens = new List<string>(tokenCount);
        await using (var table = await Open(connection, "ApiTokens", "AccountId", "Name", "Prefix", "TokenHash", "CreatedAt"))
        {
            for (var reader = 0; reader < budgets.Length && tokens.Count < tokenCount; reader++)
            {
                if (budgets[reader] == 0)
                {
                    continue; // the Hub answers 402 to a reader without a budget; the click test wants new clicks
                }

                var token = ApiTokens.NewToken();
                tokens.Add(token);
                table.Value.Begin();
                table.Value.Text(Workload.ReaderId(reader));
                table.Value.Text("load test");
                table.Value.Text(ApiTokens.DisplayPrefix(token));
                table.Value.Text(ApiTokens.Hash(token));
                table.Value.Time(now);
                table.Value.End();
            }

            await table.CompleteAsync();
        }

        await File.WriteAllLinesAsync(Path.Combine(output, "tokens.txt"), tokens);
        Report("API tokens", tokens.Count, step);

        step.Restart();
        var (clicks, skipped) = await LoadClicksAsync(connection, workload, shape, users);
        Report($"clicks (of {shape.Clicks} rows: {skipped.Repeats} repeats, {skipped.SelfClicks} self-flattrs, {skipped.OutsideMonth} outside the month left out)", clicks, step);

        step.Restart();
        if (postgres)
        {
            await Execute(connection, """
                SELECT setval(pg_get_serial_sequence('"Creators"', 'Id'), (SELECT max("Id") FROM "Creators"));
                SELECT setval(pg_get_serial_sequence('"Things"', 'Id'), (SELECT max("Id") FROM "Things"));
                """);
            // A month loaded in bulk is vacuumed and checkpointed before anything is measured, so that neither
            // autovacuum visiting the millions of new rows nor the checkpointer writing them out falls into a load phase.
            await Execute(connection, "VACUUM (ANALYZE)");
            await Execute(connection, "CHECKPOINT");
        }
        else
        {
            await Execute(connection, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);");
        }

        Report("vacuum, analyze and checkpoint", 0, step);
        await connection.CloseAsync();

        await File.WriteAllTextAsync(Path.Combine(output, "hub.env"), string.Create(CultureInfo.InvariantCulture, $"""
            FLATTR_PERF_INSTALLATION={installation.Id}
            FLATTR_PERF_SECRET={secret}
            FLATTR_PERF_THINGS={shape.Things}
            FLATTR_PERF_TOKENS={tokens.Count}
            FLATTR_PERF_CLICKS_LOADED={clicks}
            FLATTR_PERF_PERIOD={shape.Period}

            """));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: {users.Count} accounts, {shape.Things} things, {clicks} clicks of {shape.Period} in {total.Elapsed.TotalSeconds:F1} s; wrote {output}/hub.env and tokens.txt"));
        return 0;
    }

    private static async Task<(long Clicks, (long Repeats, long SelfClicks, long OutsideMonth) Skipped)> LoadClicksAsync(
        DbConnection connection, Workload workload, WorkloadShape shape, UserIds users)
    {
        // Once per (reader, thing) at the earliest time, as the Hub's unique index and the split engine both see it.
        var pairs = new PairTable(20);
        long self = 0, outside = 0, rows = 0;
        foreach (var click in workload.ClickRows())
        {
            rows++;
            if (click.IsSelfClick)
            {
                self++; // the Hub refuses to record these (403)
                continue;
            }

            if (!shape.Period.Contains(click.ClickedAt))
            {
                outside++;
                continue;
            }

            pairs.AddOrKeepMinimum(((long)(users.RankOfReader(click.Reader) + 1) << 32) | (uint)click.Thing, click.ClickedAt.UtcTicks);
        }

        // In (reader id, thing) order, so the unique index on (ReaderId, ThingId, Period) is written front to back.
        var collect = new Collect(new long[pairs.Count], new long[pairs.Count]);
        pairs.ForEach(ref collect);
        Array.Sort(collect.Keys, collect.Values);
        var period = Click.PeriodKey(shape.Period);
        await using (var table = await Open(connection, "Clicks", "ReaderId", "ThingId", "CreatorId", "Period", "ClickedAt"))
        {
            for (var i = 0; i < collect.Keys.Length; i++)
            {
                var key = collect.Keys[i];
                var thing = (int)(uint)key;
                table.Value.Begin();
                table.Value.Text(users.IdAtRank((int)(key >> 32) - 1));
                table.Value.Long(thing + 1);
                table.Value.Long(workload.CreatorIndexOf(thing) + 1);
                table.Value.Int(period);
                table.Value.Time(new DateTimeOffset(collect.Values[i], TimeSpan.Zero));
                table.Value.End();
            }

            await table.CompleteAsync();
        }

        return (collect.Keys.Length, (rows - self - outside - collect.Keys.Length, self, outside));
    }

    private static void Report(string what, long rows, Stopwatch step) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: {what}: {rows} rows in {step.Elapsed.TotalSeconds:F1} s ({(rows == 0 ? 0 : rows / step.Elapsed.TotalSeconds):F0} rows/s)"));

    private static async Task Execute(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // the loader's own constant statements
        command.CommandText = sql;
#pragma warning restore CA2100
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A table and, for SQLite, the transaction its inserts run in (committed on dispose).</summary>
    private static async Task<OpenTable> Open(DbConnection connection, string table, params string[] columns)
    {
        var transaction = connection is SqliteConnection ? await connection.BeginTransactionAsync() : null;
        return new OpenTable(BulkTable.Open(connection, transaction, table, columns), transaction);
    }

    private sealed class OpenTable(BulkTable table, DbTransaction? transaction) : IAsyncDisposable
    {
        public BulkTable Value { get; } = table;

        public async ValueTask CompleteAsync()
        {
            await Value.CompleteAsync();
            if (transaction is not null)
            {
                await transaction.CommitAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Value.DisposeAsync();
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    private readonly struct Collect(long[] keys, long[] values) : IPairVisitor
    {
        private readonly int[] _next = new int[1];

        public long[] Keys { get; } = keys;

        public long[] Values { get; } = values;

        public void Visit(long key, long value)
        {
            var i = _next[0]++;
            Keys[i] = key;
            Values[i] = value;
        }
    }

    /// <summary>
    /// Every account id (readers <c>r{n}</c> and creators' own accounts <c>c{n}</c>) with its rank in ordinal order, so
    /// rows go into the primary key and the click index in key order.
    /// </summary>
    private sealed class UserIds
    {
        private readonly string[] _ids;
        private readonly int[] _readerRanks;
        private readonly int[] _owner; // per rank: reader index, or -1 - creator index

        public UserIds(WorkloadShape shape)
        {
            var owners = new int[shape.Readers + shape.Creators];
            _ids = new string[owners.Length];
            for (var reader = 0; reader < shape.Readers; reader++)
            {
                _ids[reader] = Workload.ReaderId(reader);
                owners[reader] = reader;
            }

            for (var creator = 0; creator < shape.Creators; creator++)
            {
                _ids[shape.Readers + creator] = Workload.CreatorId(creator);
                owners[shape.Readers + creator] = -1 - creator;
            }

            Array.Sort(_ids, owners, StringComparer.Ordinal);
            _owner = owners;
            _readerRanks = new int[shape.Readers];
            for (var rank = 0; rank < owners.Length; rank++)
            {
                if (owners[rank] >= 0)
                {
                    _readerRanks[owners[rank]] = rank;
                }
            }
        }

        public int Count => _ids.Length;

        public int RankOfReader(int reader) => _readerRanks[reader];

        public string IdAtRank(int rank) => _ids[rank];

        public IEnumerable<(string Id, int Reader, int Creator)> InOrdinalOrder()
        {
            for (var rank = 0; rank < _ids.Length; rank++)
            {
                var owner = _owner[rank];
                yield return (_ids[rank], owner >= 0 ? owner : -1, owner >= 0 ? -1 : -1 - owner);
            }
        }
    }
}
