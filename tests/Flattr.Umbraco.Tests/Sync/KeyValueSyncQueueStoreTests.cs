using Flattr.Protocol;
using Flattr.Sync;
using Flattr.Umbraco.Sync;
using Flattr.Umbraco.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flattr.Umbraco.Tests.Sync;

/// <summary>The outbox in Umbraco's key-value table.</summary>
public sealed class KeyValueSyncQueueStoreTests
{
    private readonly FakeKeyValueService _database = new();
    private readonly FakeTimeProvider _clock = new(UmbracoTestSite.Start);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A new store over the same table is what a restarted (or another) server sees.
    private KeyValueSyncQueueStore Store() => new(_database, _clock, NullLogger<KeyValueSyncQueueStore>.Instance);

    private SyncItem Upsert(string id, string title = "A post") => SyncItem.Upsert(
        id,
        new ThingUpsert { Url = "https://blog.example/" + id, Title = title, Category = "text", Creator = new CreatorUpsert { ExternalId = "ann" } },
        _clock.GetUtcNow());

    [Fact]
    public async Task EnqueueAsync_ThenRestart_TheItemIsStillThereAndDue()
    {
        await Store().EnqueueAsync(Upsert("a"), Ct);

        var due = await Store().GetDueAsync(_clock.GetUtcNow(), 10, Ct);

        Assert.Equal("A post", Assert.Single(due).Thing!.Title);
        Assert.StartsWith("{", _database.GetValue(KeyValueSyncQueueStore.QueuePrefix + "a"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueAsync_SameThingTwice_OnlyTheLatestWaits()
    {
        var store = Store();
        await store.EnqueueAsync(Upsert("a", "First"), Ct);
        await store.EnqueueAsync(SyncItem.Retire("a", _clock.GetUtcNow()), Ct);

        var due = await store.GetDueAsync(_clock.GetUtcNow(), 10, Ct);

        Assert.Equal(SyncKind.Retire, Assert.Single(due).Kind);
    }

    [Fact]
    public async Task RemoveAsync_SentItem_LeavesATombstoneThatReadsSkipAndRecordsTheSync()
    {
        var store = Store();
        var item = Upsert("a");
        await store.EnqueueAsync(item, Ct);
        _clock.Advance(TimeSpan.FromMinutes(1));

        await store.RemoveAsync(item, Ct);

        Assert.Equal(string.Empty, _database.GetValue(KeyValueSyncQueueStore.QueuePrefix + "a"));
        Assert.Empty(await store.GetDueAsync(DateTimeOffset.MaxValue, 10, Ct));
        Assert.Equal(new SyncQueueStatus(0, 0, null), await store.GetStatusAsync(Ct));
        var synced = store.FindSynced("a");
        Assert.Equal(SyncKind.Upsert, synced!.Kind);
        Assert.Equal(_clock.GetUtcNow(), synced.SyncedAt);
        Assert.Equal(KeyValueSyncQueueStore.Fingerprint(item.Thing!), synced.Fingerprint);
    }

    [Fact]
    public async Task RemoveAsync_EditorQueuedANewerChangeMeanwhile_TheNewerChangeStays()
    {
        var store = Store();
        var sent = Upsert("a", "Old title");
        await store.EnqueueAsync(sent, Ct);
        await Store().EnqueueAsync(Upsert("a", "New title"), Ct); // another server, while the worker was sending

        await store.RemoveAsync(sent, Ct);

        Assert.Equal("New title", Assert.Single(await store.GetDueAsync(_clock.GetUtcNow(), 10, Ct)).Thing!.Title);
    }

    [Fact]
    public async Task RemoveAsync_NewerChangeSlipsInBetweenReadAndWrite_CompareAndSetKeepsIt()
    {
        var store = Store();
        var sent = Upsert("a", "Old title");
        await store.EnqueueAsync(sent, Ct);
        var newer = Upsert("a", "New title");
        _database.BeforeCompareAndSet = key => _database.SetValue(key, SyncItemJson.Serialize(newer));

        await store.RemoveAsync(sent, Ct);
        _database.BeforeCompareAndSet = null;

        Assert.Equal(newer.Version, Assert.Single(await store.GetDueAsync(_clock.GetUtcNow(), 10, Ct)).Version);
    }

    [Fact]
    public async Task UpdateAsync_Backoff_HidesTheItemUntilDueAndSurvivesARestart()
    {
        var store = Store();
        var item = Upsert("a");
        await store.EnqueueAsync(item, Ct);

        await store.UpdateAsync(item, item with { Attempts = 1, NextAttemptAt = _clock.GetUtcNow().AddMinutes(5), LastError = "Hub down" }, Ct);

        Assert.Empty(await Store().GetDueAsync(_clock.GetUtcNow(), 10, Ct));
        var later = Assert.Single(await Store().GetDueAsync(_clock.GetUtcNow().AddMinutes(5), 10, Ct));
        Assert.Equal(("Hub down", 1), (later.LastError, later.Attempts));
        Assert.Equal(1, (await Store().GetStatusAsync(Ct)).Pending);
    }

    [Fact]
    public async Task GetFailedAsync_RefusedItems_AreListedButNotDue()
    {
        var store = Store();
        var item = Upsert("a");
        await store.EnqueueAsync(item, Ct);
        await store.UpdateAsync(item, item with { Failed = true, LastError = "The title is required." }, Ct);

        Assert.Empty(await store.GetDueAsync(DateTimeOffset.MaxValue, 10, Ct));
        Assert.Equal("The title is required.", Assert.Single(await store.GetFailedAsync(10, Ct)).LastError);
        Assert.Equal(new SyncQueueStatus(0, 1, null), await store.GetStatusAsync(Ct));
    }

    [Fact]
    public async Task GetDueAsync_OldestFirstUpToTheLimit()
    {
        var store = Store();
        foreach (var id in new[] { "c", "a", "b" })
        {
            await store.EnqueueAsync(Upsert(id), Ct);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var due = await store.GetDueAsync(_clock.GetUtcNow(), 2, Ct);

        Assert.Equal(["c", "a"], due.Select(i => i.ExternalId));
    }

    [Fact]
    public async Task GetDueAsync_RowEditedByHand_IsIgnoredAndLeftAlone()
    {
        _database.SetValue(KeyValueSyncQueueStore.QueuePrefix + "broken", "{not json");
        await Store().EnqueueAsync(Upsert("a"), Ct);

        var due = await Store().GetDueAsync(_clock.GetUtcNow(), 10, Ct);

        Assert.Equal("a", Assert.Single(due).ExternalId);
        Assert.Equal("{not json", _database.GetValue(KeyValueSyncQueueStore.QueuePrefix + "broken"));
    }

    [Fact]
    public async Task EnqueueAsync_AfterTombstone_ReusesTheRow()
    {
        var store = Store();
        var first = Upsert("a");
        await store.EnqueueAsync(first, Ct);
        await store.RemoveAsync(first, Ct);

        await store.EnqueueAsync(SyncItem.Retire("a", _clock.GetUtcNow()), Ct);

        Assert.Equal(SyncKind.Retire, store.Find("a")!.Kind);
        Assert.Single(_database.Rows.Keys, k => k.StartsWith(KeyValueSyncQueueStore.QueuePrefix, StringComparison.Ordinal));
    }
}
