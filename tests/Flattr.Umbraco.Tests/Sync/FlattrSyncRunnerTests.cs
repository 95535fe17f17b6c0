using System.Text.Json;
using Flattr.Protocol;
using Flattr.Sync;
using Flattr.Umbraco.Content;
using Flattr.Umbraco.Sync;
using Flattr.Umbraco.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using Umbraco.Cms.Core;
using Umbraco.Cms.Core.Events;
using Umbraco.Cms.Core.Models;
using Umbraco.Cms.Core.Notifications;
using Umbraco.Cms.Core.Sync;

namespace Flattr.Umbraco.Tests.Sync;

/// <summary>
/// One pass of the sync worker through the module's real Hub client (signing, resilience pipeline) to a stubbed Hub that
/// is healthy, down, slow or failing; the outbox lives in the fake key-value table that outlives "restarts".
/// </summary>
public sealed class FlattrSyncRunnerTests : IAsyncDisposable
{
    private readonly List<UmbracoTestSite> _sites = [];
    private readonly FakeKeyValueService _database = new();
    private readonly UmbracoTestSite _site;

    public FlattrSyncRunnerTests()
    {
        _site = NewSite();
        // Nothing is due for reconciling in these tests unless a test asks for it.
        _database.SetValue(Reconciler.LastRunKey, UmbracoTestSite.Start.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var site in _sites)
        {
            await site.DisposeAsync();
        }
    }

    private UmbracoTestSite NewSite()
    {
        var site = new UmbracoTestSite(_database, _sites.Count == 0 ? null : _sites[0].Time);
        site.BlogPostType();
        _sites.Add(site);
        return site;
    }

    private async Task<SyncPassResult?> RunAsync(UmbracoTestSite? site = null)
    {
        await using var scope = (site ?? _site).Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FlattrSyncRunner>().RunOnceAsync(Ct);
    }

    private async Task<global::Umbraco.Cms.Core.Models.Content> PublishAsync(string title = "A post")
    {
        var post = UmbracoModels.Article(_site.ContentTypes.Get("blogPost")!, title, enabled: true);
        await ActivatorUtilities.CreateInstance<ContentSyncHandler>(_site.Services)
            .HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);
        return post;
    }

    private SyncItem? Pending(IContent content) => _site.Get<KeyValueSyncQueueStore>().Find(ContentThings.ExternalId(content.Key));

    [Fact]
    public async Task RunOnceAsync_HealthyHub_SendsASignedBatchWithTheUrlFromThePublishedCacheAndEmptiesTheOutbox()
    {
        var post = await PublishAsync("Hello");

        var result = await RunAsync();

        Assert.Equal(new SyncRunResult(1, 0, 0, 0), result!.Drain);
        var (method, path, body) = Assert.Single(_site.Hub.Requests);
        Assert.Equal((HttpMethod.Post, "/api/v1/things:batch"), (method, path));
        var batch = JsonSerializer.Deserialize(body!, ProtocolJson.ThingBatchRequest)!;
        var sent = Assert.Single(batch.Things!);
        Assert.Equal(ContentThings.ExternalId(post.Key), sent.ExternalId);
        Assert.Equal($"https://blog.example/posts/{post.Key:N}/", sent.Url);
        Assert.Equal("Hello", sent.Title);
        Assert.Null(Pending(post));
        Assert.Equal(SyncKind.Upsert, _site.Get<KeyValueSyncQueueStore>().FindSynced(ContentThings.ExternalId(post.Key))!.Kind);
    }

    [Fact]
    public async Task RunOnceAsync_Retirement_IsSentAsADelete()
    {
        var post = UmbracoModels.Article(_site.ContentTypes.Get("blogPost")!, enabled: true, published: false);
        await ActivatorUtilities.CreateInstance<ContentSyncHandler>(_site.Services)
            .HandleAsync(new ContentUnpublishedNotification(post, new EventMessages()), Ct);

        var result = await RunAsync();

        Assert.Equal(new SyncRunResult(0, 1, 0, 0), result!.Drain);
        Assert.Equal(HttpMethod.Delete, Assert.Single(_site.Hub.Requests).Method);
    }

    [Fact]
    public async Task RunOnceAsync_HubDown_KeepsTheItemThroughARestartAndSendsItWhenTheHubIsBack()
    {
        _site.Hub.Behaviour = HubBehaviour.Down;
        var post = await PublishAsync();

        var whileDown = await RunAsync();

        Assert.Equal(new SyncRunResult(0, 0, 1, 0), whileDown!.Drain);
        Assert.Equal(4, _site.Hub.Requests.Count); // the first attempt and the pipeline's three retries
        var waiting = Pending(post)!;
        Assert.Equal(1, waiting.Attempts);
        Assert.Contains("could not be reached", waiting.LastError, StringComparison.Ordinal);
        Assert.NotNull(waiting.Thing!.Url); // the URL it resolved is kept with the item

        // The site restarts: new services, same database, the Hub is back.
        var restarted = NewSite();
        restarted.Time.Advance(SyncQueueProcessor.FirstBackoff * 2);
        var afterRestart = await RunAsync(restarted);

        Assert.Equal(new SyncRunResult(1, 0, 0, 0), afterRestart!.Drain);
        Assert.Single(restarted.Hub.Requests);
        Assert.Null(restarted.Get<KeyValueSyncQueueStore>().Find(ContentThings.ExternalId(post.Key)));
    }

    [Fact]
    public async Task RunOnceAsync_HubAnswers5xx_DefersWithBackoffAndLosesNothing()
    {
        _site.Hub.Behaviour = HubBehaviour.ServerError;
        var post = await PublishAsync();

        var first = await RunAsync();
        var tooEarly = await RunAsync();

        Assert.Equal(1, first!.Drain.Deferred);
        Assert.Equal(new SyncRunResult(0, 0, 0, 0), tooEarly!.Drain); // backing off: not even tried
        Assert.Contains("503", Pending(post)!.LastError, StringComparison.Ordinal);

        _site.Hub.Behaviour = HubBehaviour.Healthy;
        _site.Time.Advance(SyncQueueProcessor.FirstBackoff * 2);
        Assert.Equal(1, (await RunAsync())!.Drain.Sent);
        Assert.Null(Pending(post));
    }

    [Fact]
    public async Task RunOnceAsync_HubHangs_TimesOutOnTheClockDefersAndLosesNothing()
    {
        _site.Hub.Behaviour = HubBehaviour.Hang;
        var post = await PublishAsync();

        var pass = RunAsync();
        while (!pass.IsCompleted)
        {
            var arrival = _site.Hub.NextArrivalAsync(Ct);
            if (await Task.WhenAny(arrival, pass) == pass)
            {
                break;
            }

            _site.Time.Advance(TimeSpan.FromSeconds(2)); // Flattr:AttemptTimeout
        }

        Assert.Equal(new SyncRunResult(0, 0, 1, 0), (await pass)!.Drain);
        Assert.Equal("The Hub did not answer in time.", Pending(post)!.LastError);
    }

    [Fact]
    public async Task RunOnceAsync_NoPublicUrlYet_WaitsWithoutCallingTheHubAndSendsOnceThereIsOne()
    {
        _site.UrlOf = _ => "#";
        var post = await PublishAsync();

        var first = await RunAsync();

        Assert.Equal(new SyncRunResult(0, 0, 0, 0), first!.Drain);
        Assert.Empty(_site.Hub.Requests);
        Assert.Equal(UrlResolvingSyncQueueStore.NoUrlMessage, Pending(post)!.LastError);

        _site.UrlOf = key => $"https://blog.example/{key:N}";
        _site.Time.Advance(SyncQueueProcessor.FirstBackoff * 2);
        Assert.Equal(1, (await RunAsync())!.Drain.Sent);
    }

    [Fact]
    public async Task RunOnceAsync_RelativeUrlAndSiteUrlSet_SendsTheAbsoluteAddress()
    {
        _site.Settings["Flattr:SiteUrl"] = "https://www.example.org/";
        _site.UrlOf = _ => "/blog/hello/";
        await PublishAsync();

        await RunAsync();

        Assert.Contains("\"url\":\"https://www.example.org/blog/hello/\"", Assert.Single(_site.Hub.Requests).Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ServerRole.Subscriber)]
    [InlineData(ServerRole.Unknown)]
    public async Task RunOnceAsync_NotTheSchedulingServer_LeavesTheOutboxToIt(ServerRole role)
    {
        _site.ServerRoles.CurrentServerRole.Returns(role);
        var post = await PublishAsync();

        Assert.Null(await RunAsync());
        Assert.Empty(_site.Hub.Requests);
        Assert.NotNull(Pending(post));
    }

    [Fact]
    public async Task RunOnceAsync_SchedulingPublisher_Drains()
    {
        _site.ServerRoles.CurrentServerRole.Returns(ServerRole.SchedulingPublisher);
        await PublishAsync();

        Assert.Equal(1, (await RunAsync())!.Drain.Sent);
    }

    [Fact]
    public async Task RunOnceAsync_UmbracoUpgrading_DoesNothing()
    {
        _site.Runtime.Level.Returns(RuntimeLevel.Upgrading);
        await PublishAsync();

        Assert.Null(await RunAsync());
        Assert.Empty(_site.Hub.Requests);
    }

    [Fact]
    public async Task RunOnceAsync_ManyChanges_SendsThemInBatchesOfFiveHundred()
    {
        var store = _site.Get<KeyValueSyncQueueStore>();
        for (var i = 0; i < 1001; i++)
        {
            await store.EnqueueAsync(
                SyncItem.Upsert(Guid.NewGuid().ToString("D"), new ThingUpsert { Title = $"Post {i}", Category = "text", Creator = new CreatorUpsert { ExternalId = "ann" } }, _site.Time.GetUtcNow()),
                Ct);
        }

        var result = await RunAsync();

        Assert.Equal(1001, result!.Drain.Sent);
        Assert.Equal(3, _site.Hub.Requests.Count);
        Assert.Equal(0, (await store.GetStatusAsync(Ct)).Pending);
    }
}
