using System.Net;
using System.Net.Sockets;
using Flattr.Core.Tests.HubClient;
using Flattr.HubClient;
using Flattr.Protocol;
using Flattr.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Flattr.Core.Tests.Sync;

/// <summary>The durable sync queue and its processor, against a real Hub double on loopback and real files.</summary>
public sealed class SyncQueueTests : IAsyncDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("flattr-sync-");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly List<ServiceProvider> _providers = [];
    private readonly List<FileSyncQueueStore> _stores = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _folder.Delete(recursive: true);
    }

    private FileSyncQueueStore Store()
    {
        // A new instance over the same folder is what a restarted site sees.
        var store = new FileSyncQueueStore(_folder.FullName);
        _stores.Add(store);
        return store;
    }

    private FlattrHubClient Client(Uri hub, string secret = FakeHub.Secret)
    {
        var services = new ServiceCollection();
        services.AddFlattrHubClient(o =>
        {
            o.HubUrl = hub;
            o.InstallationId = FakeHub.InstallationId;
            o.Secret = secret;
            o.AttemptTimeout = TimeSpan.FromSeconds(2);
            o.TotalTimeout = TimeSpan.FromSeconds(10);
        });
        services.ConfigureAll<HttpStandardResilienceOptions>(r => r.Retry.Delay = TimeSpan.FromMilliseconds(5));
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<FlattrHubClient>();
    }

    private static Uri NobodyListening()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
    }

    private static ThingUpsert Thing(string title = "A post") => new()
    {
        Url = "https://blog.example/posts/1",
        Title = title,
        Category = "text",
        Creator = new CreatorUpsert { ExternalId = "author-1", Name = "Ann" },
    };

    [Fact]
    public async Task Drain_HubDown_KeepsTheItemThroughARestartAndSendsItWhenTheHubIsBack()
    {
        await Store().EnqueueAsync(SyncItem.Upsert("post-1", Thing(), _clock.GetUtcNow()), Ct);

        var whileDown = await new SyncQueueProcessor(Client(NobodyListening()), Store(), _clock).DrainOnceAsync(cancellationToken: Ct);
        var afterRestart = Store();
        var waiting = await afterRestart.GetStatusAsync(Ct);
        var notYetDue = await afterRestart.GetDueAsync(_clock.GetUtcNow(), 10, Ct);

        Assert.Equal(new SyncRunResult(0, 0, 1, 0), whileDown);
        Assert.Equal(1, waiting.Pending);
        Assert.Empty(notYetDue); // backing off

        await using var hub = await FakeHub.StartAsync();
        _clock.Advance(SyncQueueProcessor.FirstBackoff * 2);
        var whenBack = await new SyncQueueProcessor(Client(hub.BaseAddress), afterRestart, _clock).DrainOnceAsync(cancellationToken: Ct);

        Assert.Equal(new SyncRunResult(1, 0, 0, 0), whenBack);
        Assert.Equal("A post", hub.Things["post-1"].Title);
        Assert.Equal(0, (await Store().GetStatusAsync(Ct)).Pending);
    }

    [Fact]
    public async Task Drain_HubAnswers5xxEveryAttempt_DefersWithGrowingBackoffAndLosesNothing()
    {
        await using var hub = await FakeHub.StartAsync();
        var store = Store();
        await store.EnqueueAsync(SyncItem.Upsert("post-1", Thing(), _clock.GetUtcNow()), Ct);
        var processor = new SyncQueueProcessor(Client(hub.BaseAddress), store, _clock);
        var waits = new List<TimeSpan>();

        for (var pass = 0; pass < 3; pass++)
        {
            for (var i = 0; i < 4; i++)
            {
                hub.RespondNextWith(503); // the first attempt and the pipeline's three retries
            }

            Assert.Equal(1, (await processor.DrainOnceAsync(cancellationToken: Ct)).Deferred);
            var item = (await store.GetDueAsync(DateTimeOffset.MaxValue, 10, Ct)).Single();
            waits.Add(item.NextAttemptAt - _clock.GetUtcNow());
            Assert.Equal(pass + 1, item.Attempts);
            Assert.Contains("503", item.LastError, StringComparison.Ordinal);
            _clock.Advance(waits[^1]);
        }

        Assert.True(waits[0] < waits[1] && waits[1] < waits[2], string.Join(", ", waits));
        Assert.Equal(1, (await processor.DrainOnceAsync(cancellationToken: Ct)).Sent);
        Assert.True(hub.Things.ContainsKey("post-1"));
    }

    [Fact]
    public async Task Drain_WrongSecret_DefersInsteadOfFailingTheContent()
    {
        await using var hub = await FakeHub.StartAsync();
        var store = Store();
        await store.EnqueueAsync(SyncItem.Upsert("post-1", Thing(), _clock.GetUtcNow()), Ct);

        var result = await new SyncQueueProcessor(Client(hub.BaseAddress, secret: "not-the-secret"), store, _clock).DrainOnceAsync(cancellationToken: Ct);

        Assert.Equal(new SyncRunResult(0, 0, 1, 0), result);
        Assert.Empty(await store.GetFailedAsync(10, Ct));
        Assert.Contains("401", (await store.GetDueAsync(DateTimeOffset.MaxValue, 10, Ct)).Single().LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_InvalidContent_IsMarkedFailedWithTheReasonAndNotSent()
    {
        await using var hub = await FakeHub.StartAsync();
        var store = Store();
        await store.EnqueueAsync(SyncItem.Upsert("bad", Thing(title: " "), _clock.GetUtcNow()), Ct);
        await store.EnqueueAsync(SyncItem.Upsert("good", Thing(), _clock.GetUtcNow()), Ct);

        var result = await new SyncQueueProcessor(Client(hub.BaseAddress), store, _clock).DrainOnceAsync(cancellationToken: Ct);

        Assert.Equal(new SyncRunResult(1, 0, 0, 1), result);
        var failed = Assert.Single(await store.GetFailedAsync(10, Ct));
        Assert.Equal("bad", failed.ExternalId);
        Assert.Contains("title", failed.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.False(hub.Things.ContainsKey("bad"));
        Assert.Equal(new SyncQueueStatus(0, 1, null), await store.GetStatusAsync(Ct));
    }

    [Fact]
    public async Task Enqueue_LaterChangeForTheSameThing_ReplacesTheWaitingOne()
    {
        await using var hub = await FakeHub.StartAsync();
        var store = Store();
        await store.EnqueueAsync(SyncItem.Upsert("post-1", Thing("First"), _clock.GetUtcNow()), Ct);
        await store.EnqueueAsync(SyncItem.Upsert("post-1", Thing("Second"), _clock.GetUtcNow()), Ct);

        var result = await new SyncQueueProcessor(Client(hub.BaseAddress), store, _clock).DrainOnceAsync(cancellationToken: Ct);

        Assert.Equal(1, result.Sent);
        Assert.Equal("Second", hub.Things["post-1"].Title);
    }

    [Fact]
    public async Task Drain_RetireOfAThingTheHubNeverHad_IsDoneAndLeavesTheQueue()
    {
        await using var hub = await FakeHub.StartAsync();
        var store = Store();
        await store.EnqueueAsync(SyncItem.Retire("never-synced", _clock.GetUtcNow()), Ct);

        var result = await new SyncQueueProcessor(Client(hub.BaseAddress), store, _clock).DrainOnceAsync(cancellationToken: Ct);

        Assert.Equal(new SyncRunResult(0, 1, 0, 0), result);
        Assert.Equal(0, (await store.GetStatusAsync(Ct)).Pending);
    }

    [Fact]
    public async Task Drain_PublishThenUnpublish_RetiresTheThingOnTheHub()
    {
        await using var hub = await FakeHub.StartAsync();
        var store = Store();
        var processor = new SyncQueueProcessor(Client(hub.BaseAddress), store, _clock);
        await store.EnqueueAsync(SyncItem.Upsert("post-1", Thing(), _clock.GetUtcNow()), Ct);
        await processor.DrainOnceAsync(cancellationToken: Ct);

        await store.EnqueueAsync(SyncItem.Retire("post-1", _clock.GetUtcNow()), Ct);
        var result = await processor.DrainOnceAsync(cancellationToken: Ct);

        Assert.Equal(1, result.Retired);
        Assert.False(hub.Things.ContainsKey("post-1"));
        Assert.Contains(hub.Requests, r => r.Method == "DELETE" && r.RawTarget == "/api/v1/things/post-1");
    }

    [Fact]
    public async Task Remove_AfterANewerChangeWasQueued_KeepsTheNewerChange()
    {
        var store = Store();
        await store.EnqueueAsync(SyncItem.Upsert("post-1", Thing("Being sent"), _clock.GetUtcNow()), Ct);
        var beingSent = (await store.GetDueAsync(_clock.GetUtcNow(), 10, Ct)).Single();

        await store.EnqueueAsync(SyncItem.Upsert("post-1", Thing("Edited meanwhile"), _clock.GetUtcNow()), Ct);
        await store.RemoveAsync(beingSent, Ct);
        await store.UpdateAsync(beingSent, beingSent with { Failed = true }, Ct);

        var left = (await store.GetDueAsync(_clock.GetUtcNow(), 10, Ct)).Single();
        Assert.Equal("Edited meanwhile", left.Thing!.Title);
        Assert.False(left.Failed);
    }

    [Fact]
    public async Task Store_IdsWithAnyCharacters_AreKeptApart()
    {
        var store = Store();
        string[] ids = ["a/b", "A/B", "a:b", "ü", "../../etc/passwd", new string('x', 256)];
        foreach (var id in ids)
        {
            await store.EnqueueAsync(SyncItem.Retire(id, _clock.GetUtcNow()), Ct);
        }

        var due = await Store().GetDueAsync(_clock.GetUtcNow(), 100, Ct);

        Assert.Equal(ids.Order(StringComparer.Ordinal), due.Select(i => i.ExternalId).Order(StringComparer.Ordinal));
        Assert.All(Directory.EnumerateFiles(_folder.FullName), f => Assert.Equal(_folder.FullName, Path.GetDirectoryName(f)));
    }

    [Fact]
    public void SyncItemJson_RoundTripsEveryField()
    {
        var item = SyncItem.Upsert("id,\"1\"", Thing(), _clock.GetUtcNow()) with { Attempts = 3, LastError = "503", Failed = true };

        var copy = SyncItemJson.Deserialize(SyncItemJson.Serialize(item));

        Assert.Equal(item with { Thing = null }, copy with { Thing = null });
        Assert.Equal(item.Thing!.Title, copy.Thing!.Title);
        Assert.Equal(item.Thing.Creator, copy.Thing.Creator);
    }
}
