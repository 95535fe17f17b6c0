using System.Diagnostics.Metrics;
using System.Globalization;
using Flattr.Hub.Clicks;
using Flattr.Hub.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Flattr.Hub.IntegrationTests.Clicks;

/// <summary>The click recorder the page and the API share, called directly, and the database's uniqueness on each provider.</summary>
public abstract class ClickRecorderTests(FlattringFixture hub)
{
    private async Task<ClickResult> RecordAsync(string readerId, long thingId)
    {
        await using var scope = hub.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ClickRecorder>().RecordAsync(readerId, thingId, "test", CancellationToken.None);
    }

    private async Task<(string ReaderId, long ThingId)> ArrangeAsync()
    {
        var site = await hub.AddInstallationAsync();
        var thing = await hub.PutThingAsync(site, "p");
        var reader = await hub.CreateReaderAsync();
        return (reader.Id, long.Parse(thing.Id, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task IsUniqueViolation_DuplicateClickInsert_IsRecognisedOnThisDatabase()
    {
        var (readerId, thingId) = await ArrangeAsync();
        await RecordAsync(readerId, thingId);
        var stored = await hub.WithDbAsync(db => db.Clicks.AsNoTracking().SingleAsync(c => c.ReaderId == readerId));

        var duplicate = await hub.WithDbAsync(async db =>
        {
            db.Clicks.Add(new Click { ReaderId = readerId, ThingId = thingId, CreatorId = stored.CreatorId, Period = stored.Period, ClickedAt = stored.ClickedAt });
            return await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });
        var missingThing = await hub.WithDbAsync(async db =>
        {
            db.Clicks.Add(new Click { ReaderId = readerId, ThingId = 987654321, CreatorId = stored.CreatorId, Period = stored.Period, ClickedAt = stored.ClickedAt });
            return await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });

        Assert.True(ClickRecorder.IsUniqueViolation(duplicate));
        Assert.False(ClickRecorder.IsUniqueViolation(missingThing));
    }

    [Fact]
    public async Task RecordAsync_NewThenRepeated_CountsOneInTheClicksRecordedMetric()
    {
        var (readerId, thingId) = await ArrangeAsync();
        var factory = hub.App.Services.GetRequiredService<IMeterFactory>();
        long recorded = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this Hub's meter: other fixtures' Hubs run in parallel in the same process.
            if (instrument.Meter.Name == HubMetrics.Name && instrument.Name == "flattr.clicks.recorded" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref recorded, value));
        listener.Start();

        var first = await RecordAsync(readerId, thingId);
        var second = await RecordAsync(readerId, thingId);

        Assert.Equal(ClickOutcome.Created, first.Outcome);
        Assert.Equal(ClickOutcome.AlreadyFlattred, second.Outcome);
        Assert.Equal(first.ClickedAt, second.ClickedAt);
        Assert.Equal(1, Interlocked.Read(ref recorded));
    }

    [Fact]
    public async Task RecordAsync_ManyConcurrentClicks_StoreOneAndReportOneCreated()
    {
        var (readerId, thingId) = await ArrangeAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => RecordAsync(readerId, thingId))));

        Assert.Single(results, r => r.Outcome == ClickOutcome.Created);
        Assert.All(results, r => Assert.Contains(r.Outcome, new[] { ClickOutcome.Created, ClickOutcome.AlreadyFlattred }));
        Assert.Equal(1, await hub.WithDbAsync(db => db.Clicks.CountAsync(c => c.ReaderId == readerId)));
    }

    [Fact]
    public async Task RecordAsync_ManyReadersAtOnce_StoresEveryClickAndReportsEachCreated()
    {
        // Concurrent clicks share one group commit in the ClickWriter: each must still get its own answer.
        var (_, thingId) = await ArrangeAsync();
        var readers = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            readers.Add((await hub.CreateReaderAsync()).Id);
        }

        var results = await Task.WhenAll(readers.Select(r => Task.Run(() => RecordAsync(r, thingId))));

        Assert.All(results, r => Assert.Equal(ClickOutcome.Created, r.Outcome));
        var stored = await hub.WithDbAsync(db => db.Clicks.AsNoTracking().Where(c => c.ThingId == thingId).Select(c => c.ReaderId).ToListAsync());
        Assert.Equal(readers.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RecordAsync_OneClickOfAGroupFailsToInsert_StoresTheOthersAndFailsOnlyThatOne()
    {
        var (readerId, thingId) = await ArrangeAsync();
        var other = (await hub.CreateReaderAsync()).Id;
        var site = await hub.AddInstallationAsync();
        var badThingId = long.Parse((await hub.PutThingAsync(site, "bad")).Id, CultureInfo.InvariantCulture);
        var writer = hub.App.Services.GetRequiredService<ClickWriter>();
        var period = Click.PeriodKey(Period.Containing(hub.Time.GetUtcNow()));
        var at = hub.Time.GetUtcNow();

        // The bad thing passes every check, but the database refuses its click (as it would one whose thing was deleted
        // between the check and the insert): the group's insert fails, so the writer tries each flattr alone.
        await hub.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(db.Database.IsSqlite()
            ? $"""
              CREATE TRIGGER "FailBadClick" BEFORE INSERT ON "Clicks" WHEN NEW."ThingId" = {badThingId}
              BEGIN SELECT RAISE(ABORT, 'this click fails'); END;
              """
            : $"""
              CREATE FUNCTION "FailBadClick"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'this click fails'; END $$;
              CREATE TRIGGER "FailBadClick" BEFORE INSERT ON "Clicks" FOR EACH ROW WHEN (NEW."ThingId" = {badThingId}) EXECUTE FUNCTION "FailBadClick"();
              """));
        try
        {
            var good = writer.RecordAsync(new ClickRequest(readerId, thingId, period, 0, at), CancellationToken.None);
            var bad = writer.RecordAsync(new ClickRequest(other, badThingId, period, 0, at), CancellationToken.None);
            var alsoGood = writer.RecordAsync(new ClickRequest(other, thingId, period, 0, at), CancellationToken.None);

            Assert.True((await good).Stored);
            Assert.True((await alsoGood).Stored);
            await Assert.ThrowsAnyAsync<Exception>(() => bad);
            Assert.Equal(2, await hub.WithDbAsync(db => db.Clicks.CountAsync(c => c.ThingId == thingId)));
            Assert.Equal(0, await hub.WithDbAsync(db => db.Clicks.CountAsync(c => c.ThingId == badThingId)));
        }
        finally
        {
            await hub.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(db.Database.IsSqlite()
                ? """DROP TRIGGER "FailBadClick";"""
                : """DROP TRIGGER "FailBadClick" ON "Clicks"; DROP FUNCTION "FailBadClick"();"""));
        }
    }

    [Fact]
    public async Task RecordAsync_SameFlattrTwiceInOneGroup_StoresOneAndTellsTheOtherItIsThere()
    {
        var (readerId, thingId) = await ArrangeAsync();
        var writer = hub.App.Services.GetRequiredService<ClickWriter>();
        var period = Click.PeriodKey(Period.Containing(hub.Time.GetUtcNow()));
        var at = hub.Time.GetUtcNow();

        var written = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => writer.RecordAsync(new ClickRequest(readerId, thingId, period, 0, at), CancellationToken.None)));

        // Whether they share a group or not, one request stores the click and every other finds it stored.
        Assert.Single(written, w => w.Stored is true);
        Assert.All(written, w => Assert.True(w.Stored is true || w.Stored is false && w.Check.EarlierClick is null || w.Stored is null && w.Check.EarlierClick is not null));
        Assert.Equal(1, await hub.WithDbAsync(db => db.Clicks.CountAsync(c => c.ReaderId == readerId && c.ThingId == thingId)));
    }

    [Fact]
    public async Task RecordAsync_UnknownReader_IsNoBudget()
    {
        var (_, thingId) = await ArrangeAsync();

        var result = await RecordAsync("no-such-reader", thingId);

        Assert.Equal(ClickOutcome.NoBudget, result.Outcome);
    }
}

public sealed class ClickRecorderSqliteTests(FlattringSqliteFixture hub) : ClickRecorderTests(hub), IClassFixture<FlattringSqliteFixture>;

public sealed class ClickRecorderPostgresTests(FlattringPostgresFixture hub) : ClickRecorderTests(hub), IClassFixture<FlattringPostgresFixture>;
