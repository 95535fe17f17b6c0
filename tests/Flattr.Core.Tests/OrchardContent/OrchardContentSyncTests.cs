using System.Net;
using System.Net.Sockets;
using Flattr.Core.Tests.HubClient;
using Flattr.HubClient;
using Flattr.OrchardContent;
using Flattr.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Flattr.Core.Tests.OrchardContent;

/// <summary>
/// A tenant's content events going through its durable file queue to a real Hub double on loopback: what the module's
/// content handler, after-request flush and background task do, without Orchard.
/// </summary>
public sealed class OrchardContentSyncTests : IAsyncDisposable
{
    private readonly DirectoryInfo _appData = Directory.CreateTempSubdirectory("flattr-orchard-");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 10, 5, 14, 30, 0, TimeSpan.Zero));
    private readonly List<IDisposable> _disposables = [];
    private readonly List<ServiceProvider> _providers = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _appData.Delete(recursive: true);
    }

    private static FlattrCreatorSettings Settings(Uri hub)
    {
        var settings = OrchardFixtures.Settings();
        settings.HubUrl = hub.AbsoluteUri;
        settings.InstallationId = FakeHub.InstallationId;
        return settings;
    }

    /// <summary>What the module registers per tenant: a file store in the tenant's folder and the sync over it.</summary>
    private OrchardContentSync Tenant(string name = "Default", ISyncQueueStore? store = null)
    {
        if (store is null)
        {
            var fileStore = new FileSyncQueueStore(OrchardContentSync.QueueFolder(_appData.FullName, "Sites", name));
            _disposables.Add(fileStore);
            store = fileStore;
        }

        var sync = new OrchardContentSync(store, _clock);
        _disposables.Add(sync);
        return sync;
    }

    private FlattrHubClient Client(Uri hub)
    {
        var services = new ServiceCollection();
        services.AddFlattrHubClient(o =>
        {
            Settings(hub).ApplyTo(o, FakeHub.Secret);
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

    [Fact]
    public async Task ItemPublished_ThenFlushed_HubHoldsTheThingUnderTheContentItemId()
    {
        await using var hub = await FakeHub.StartAsync();
        var sync = Tenant();

        var mapping = await sync.ItemPublishedAsync(
            OrchardFixtures.Load(OrchardFixtures.BlogPost), Settings(hub.BaseAddress), OrchardFixtures.SiteBaseUrl, cancellationToken: Ct);
        var result = await sync.FlushAsync(Client(hub.BaseAddress), cancellationToken: Ct);

        Assert.True(mapping.IsEligible);
        Assert.Equal(new SyncRunResult(1, 0, 0, 0), result);
        var thing = hub.Things["4q6rbcvd8w1hm2ez3nphy0kx5t"];
        Assert.Equal("https://www.example.org/blog/mending-a-bicycle-wheel", thing.Url);
        Assert.Equal("workshop", thing.Creator.ExternalId);
        Assert.Equal(["Cycling", "Repair"], thing.Tags);
        Assert.Equal(0, (await sync.GetStatusAsync(Ct)).Pending);
    }

    [Fact]
    public async Task ItemRepublishedSwitchedOff_ThenFlushed_HubRetiresTheThing()
    {
        await using var hub = await FakeHub.StartAsync();
        var sync = Tenant();
        var settings = Settings(hub.BaseAddress);
        await sync.ItemPublishedAsync(OrchardFixtures.Load(OrchardFixtures.BlogPost), settings, OrchardFixtures.SiteBaseUrl, cancellationToken: Ct);
        await sync.FlushAsync(Client(hub.BaseAddress), cancellationToken: Ct);
        var switchedOff = OrchardFixtures.Load(OrchardFixtures.BlogPost);
        switchedOff["FlattrPart"]!["Enabled"]!["Value"] = false;

        var mapping = await sync.ItemPublishedAsync(switchedOff, settings, OrchardFixtures.SiteBaseUrl, cancellationToken: Ct);
        var result = await sync.FlushAsync(Client(hub.BaseAddress), cancellationToken: Ct);

        Assert.Equal(ContentEligibility.Disabled, mapping.Eligibility);
        Assert.Equal(new SyncRunResult(0, 1, 0, 0), result);
        Assert.False(hub.Things.ContainsKey("4q6rbcvd8w1hm2ez3nphy0kx5t"));
    }

    [Fact]
    public async Task ItemWithdrawn_ThenFlushed_HubRetiresTheThing()
    {
        await using var hub = await FakeHub.StartAsync();
        var sync = Tenant();
        await sync.ItemPublishedAsync(OrchardFixtures.Load(OrchardFixtures.BlogPost), Settings(hub.BaseAddress), OrchardFixtures.SiteBaseUrl, cancellationToken: Ct);

        // Published and then unpublished before anything was sent: only the latest change for the item is kept.
        await sync.ItemWithdrawnAsync("4q6rbcvd8w1hm2ez3nphy0kx5t", Ct);
        var result = await sync.FlushAsync(Client(hub.BaseAddress), cancellationToken: Ct);

        Assert.Equal(new SyncRunResult(0, 1, 0, 0), result);
        Assert.Empty(hub.Things);
        Assert.DoesNotContain(hub.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Flush_HubDown_KeepsTheItemThroughARestartUntilTheBackgroundTaskSendsIt()
    {
        var sync = Tenant();
        await sync.ItemPublishedAsync(OrchardFixtures.Load(OrchardFixtures.Podcast), Settings(NobodyListening()), OrchardFixtures.SiteBaseUrl, cancellationToken: Ct);

        var afterRequest = await sync.FlushAsync(Client(NobodyListening()), cancellationToken: Ct);

        Assert.Equal(new SyncRunResult(0, 0, 1, 0), afterRequest);
        Assert.Equal(1, (await sync.GetStatusAsync(Ct)).Pending);

        // The site restarts: a new store and sync over the same tenant folder. The Hub is back; the backoff has passed.
        await using var hub = await FakeHub.StartAsync();
        var restarted = Tenant();
        _clock.Advance(SyncQueueProcessor.FirstBackoff * 2);
        var backgroundTask = await restarted.FlushAsync(Client(hub.BaseAddress), cancellationToken: Ct);

        Assert.Equal(new SyncRunResult(1, 0, 0, 0), backgroundTask);
        Assert.Equal("chloe-guest", hub.Things["4u7k1z8q0mx2wh9nv3bd5cr6ts"].Creator.ExternalId);
    }

    [Fact]
    public async Task Flush_ItemTheHubRefuses_IsKeptAsFailedWithTheReasonForTheSettingsPage()
    {
        await using var hub = await FakeHub.StartAsync();
        var sync = Tenant();
        var item = OrchardFixtures.Load(OrchardFixtures.BlogPost);
        item["AutoroutePart"]!["Path"] = new string('a', 3000);

        var mapping = await sync.ItemPublishedAsync(item, Settings(hub.BaseAddress), OrchardFixtures.SiteBaseUrl, cancellationToken: Ct);
        var result = await sync.FlushAsync(Client(hub.BaseAddress), cancellationToken: Ct);

        Assert.Equal(ContentEligibility.Invalid, mapping.Eligibility);
        Assert.Equal(new SyncRunResult(0, 0, 0, 1), result);
        var failed = Assert.Single(await sync.GetFailedAsync(cancellationToken: Ct));
        Assert.Contains("URL", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(1, (await sync.GetStatusAsync(Ct)).Failed);
    }

    [Fact]
    public async Task Flush_WhileAnotherFlushOfTheTenantRuns_ReturnsAtOnceAndTheItemIsSentOnce()
    {
        await using var hub = await FakeHub.StartAsync();
        var inner = new FileSyncQueueStore(OrchardContentSync.QueueFolder(_appData.FullName, "Sites", "Default"));
        _disposables.Add(inner);
        var store = new PausingStore(inner);
        var sync = Tenant(store: store);
        await sync.ItemPublishedAsync(OrchardFixtures.Load(OrchardFixtures.BlogPost), Settings(hub.BaseAddress), OrchardFixtures.SiteBaseUrl, cancellationToken: Ct);

        var first = sync.FlushAsync(Client(hub.BaseAddress), cancellationToken: Ct);
        await store.Reading.Task.WaitAsync(Ct); // the first flush holds the tenant's gate and is reading the queue
        var second = await sync.FlushAsync(Client(hub.BaseAddress), cancellationToken: Ct);
        store.Continue.SetResult();

        Assert.Null(second);
        Assert.Equal(new SyncRunResult(1, 0, 0, 0), await first);
        Assert.Single(hub.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task ItemPublished_OnOneTenant_LeavesTheOtherTenantsQueueEmpty()
    {
        var blog = Tenant("Blog");
        var shop = Tenant("Shop");

        await blog.ItemPublishedAsync(OrchardFixtures.Load(OrchardFixtures.BlogPost), OrchardFixtures.Settings(), OrchardFixtures.SiteBaseUrl, cancellationToken: Ct);

        Assert.Equal(1, (await blog.GetStatusAsync(Ct)).Pending);
        Assert.Equal(0, (await shop.GetStatusAsync(Ct)).Pending);
        Assert.Single(Directory.GetFiles(Path.Combine(_appData.FullName, "Sites", "Blog", "Flattr", "queue"), "*.json"));
    }

    [Fact]
    public void QueueFolder_DefaultTenant_IsInTheTenantsAppDataFolder()
    {
        var folder = OrchardContentSync.QueueFolder(Path.Combine("srv", "App_Data"), "Sites", "Default");

        Assert.Equal(Path.Combine("srv", "App_Data", "Sites", "Default", "Flattr", "queue"), folder);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("blog/../shop")]
    [InlineData("blog\\shop")]
    [InlineData("c:shop")]
    [InlineData(" ")]
    public void QueueFolder_NameThatCouldLeaveTheTenantsFolder_Throws(string tenant)
    {
        Assert.ThrowsAny<ArgumentException>(() => OrchardContentSync.QueueFolder("App_Data", "Sites", tenant));
    }

    /// <summary>A store whose reads of due items wait until the test lets them go on.</summary>
    private sealed class PausingStore(ISyncQueueStore inner) : ISyncQueueStore
    {
        public TaskCompletionSource Reading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Continue { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlyList<SyncItem>> GetDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
        {
            Reading.TrySetResult();
            await Continue.Task.WaitAsync(cancellationToken);
            return await inner.GetDueAsync(now, max, cancellationToken);
        }

        public Task EnqueueAsync(SyncItem item, CancellationToken cancellationToken = default) => inner.EnqueueAsync(item, cancellationToken);

        public Task RemoveAsync(SyncItem item, CancellationToken cancellationToken = default) => inner.RemoveAsync(item, cancellationToken);

        public Task UpdateAsync(SyncItem original, SyncItem updated, CancellationToken cancellationToken = default) =>
            inner.UpdateAsync(original, updated, cancellationToken);

        public Task<SyncQueueStatus> GetStatusAsync(CancellationToken cancellationToken = default) => inner.GetStatusAsync(cancellationToken);

        public Task<IReadOnlyList<SyncItem>> GetFailedAsync(int max, CancellationToken cancellationToken = default) =>
            inner.GetFailedAsync(max, cancellationToken);
    }
}
