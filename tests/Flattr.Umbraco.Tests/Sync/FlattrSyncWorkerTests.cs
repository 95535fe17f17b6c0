using Flattr.Sync;
using Flattr.Umbraco.Content;
using Flattr.Umbraco.Sync;
using Flattr.Umbraco.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NSubstitute;
using Umbraco.Cms.Core.Events;
using Umbraco.Cms.Core.Notifications;

namespace Flattr.Umbraco.Tests.Sync;

/// <summary>The hosted worker on its periodic timer, driven by the fake clock.</summary>
public sealed class FlattrSyncWorkerTests : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly UmbracoTestSite _site = new();
    private readonly FlattrSyncWorker _worker;
    private readonly System.Threading.Channels.Channel<SyncPassResult?> _passes = System.Threading.Channels.Channel.CreateUnbounded<SyncPassResult?>();

    public FlattrSyncWorkerTests()
    {
        _site.BlogPostType();
        _site.KeyValues.SetValue(Reconciler.LastRunKey, UmbracoTestSite.Start.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        _worker = _site.Services.GetServices<IHostedService>().OfType<FlattrSyncWorker>().Single();
        _worker.PassCompleted += result => _passes.Writer.TryWrite(result);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync(CancellationToken.None);
        _worker.Dispose();
        await _site.DisposeAsync();
    }

    private static async Task StartAsync(FlattrSyncWorker worker)
    {
        await worker.StartAsync(Ct);
        await worker.TimerStarted.WaitAsync(Guard, Ct); // the clock may only move once the timer exists
    }

    private async Task<SyncPassResult?> NextPassAsync() => await _passes.Reader.ReadAsync(Ct).AsTask().WaitAsync(Guard, Ct);

    [Fact]
    public async Task ExecuteAsync_EachIntervalOnTheClock_DrainsTheOutbox()
    {
        await StartAsync(_worker);
        var post = UmbracoModels.Article(_site.ContentTypes.Get("blogPost")!, enabled: true);
        await ActivatorUtilities.CreateInstance<ContentSyncHandler>(_site.Services).HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);

        Assert.Empty(_site.Hub.Requests); // nothing happens until the timer ticks
        _site.Time.Advance(TimeSpan.FromSeconds(30));
        var pass = await NextPassAsync();

        Assert.Equal(1, pass!.Drain.Sent);
        Assert.Null(_site.Get<KeyValueSyncQueueStore>().Find(ContentThings.ExternalId(post.Key)));
    }

    [Fact]
    public async Task ExecuteAsync_PassFails_TheNextTickRunsAgain()
    {
        await StartAsync(_worker);
        _site.KeyValues.Failing = true;

        _site.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(await NextPassAsync()); // logged, not thrown

        _site.KeyValues.Failing = false;
        _site.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(new SyncRunResult(0, 0, 0, 0), (await NextPassAsync())!.Drain);
    }

    [Fact]
    public async Task ExecuteAsync_ConfiguredInterval_IsHonoured()
    {
        _site.Settings["Flattr:Sync:Interval"] = "00:05:00";
        await using var site = new UmbracoTestSite(_site.KeyValues, _site.Time);
        foreach (var (key, value) in _site.Settings)
        {
            site.Settings[key] = value;
        }

        var worker = site.Services.GetServices<IHostedService>().OfType<FlattrSyncWorker>().Single();
        var passes = 0;
        worker.PassCompleted += _ => Interlocked.Increment(ref passes);
        var ticked = new TaskCompletionSource();
        worker.PassCompleted += _ => ticked.TrySetResult();
        await StartAsync(worker);

        site.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, Volatile.Read(ref passes));
        site.Time.Advance(TimeSpan.FromMinutes(1));
        await ticked.Task.WaitAsync(Guard, Ct);

        await worker.StopAsync(CancellationToken.None);
        worker.Dispose();
        Assert.Equal(1, Volatile.Read(ref passes));
    }

    [Fact]
    public async Task ExecuteAsync_SubscriberServer_TicksButLeavesTheOutboxAlone()
    {
        _site.ServerRoles.CurrentServerRole.Returns(global::Umbraco.Cms.Core.Sync.ServerRole.Subscriber);
        await StartAsync(_worker);
        var post = UmbracoModels.Article(_site.ContentTypes.Get("blogPost")!, enabled: true);
        await ActivatorUtilities.CreateInstance<ContentSyncHandler>(_site.Services).HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);

        _site.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Null(await NextPassAsync());
        Assert.Empty(_site.Hub.Requests);
    }
}
