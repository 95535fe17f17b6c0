using Flattr.Sync;
using Flattr.Umbraco.Content;
using Flattr.Umbraco.Sync;
using Flattr.Umbraco.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using Umbraco.Cms.Core.Models;
using Umbraco.Cms.Core.Persistence.Querying;
using Umbraco.Cms.Core.Services;

namespace Flattr.Umbraco.Tests.Sync;

/// <summary>The periodic reconcile finds what drifted between the site and what the Hub was last sent.</summary>
public sealed class ReconcilerTests : IAsyncDisposable
{
    private readonly UmbracoTestSite _site = new();
    private readonly ContentType _blogPost;
    private readonly List<IContent> _documents = [];

    public ReconcilerTests()
    {
        _blogPost = _site.BlogPostType();
        _site.ContentTypes.GetAll().Returns(_ => [_blogPost, UmbracoModels.DocumentType("homePage")]);
        _site.ContentService.IsPathPublished(Arg.Any<IContent>()).Returns(true);
        _site.ContentService.GetPagedOfTypes(Arg.Any<int[]>(), Arg.Any<long>(), Arg.Any<int>(), out Arg.Any<long>(), Arg.Any<IQuery<IContent>?>(), Arg.Any<Ordering?>())
            .Returns(call =>
            {
                Assert.Equal([_blogPost.Id], call.ArgAt<int[]>(0)); // only types with the toggle are read
                var (page, size) = (call.ArgAt<long>(1), call.ArgAt<int>(2));
                call[3] = (long)_documents.Count;
                return _documents.Skip((int)(page * size)).Take(size).ToList();
            });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _site.DisposeAsync();

    private KeyValueSyncQueueStore Store => _site.Get<KeyValueSyncQueueStore>();

    private async Task<int> ReconcileAsync()
    {
        await using var scope = _site.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Reconciler>().ReconcileAsync(Ct);
    }

    private async Task SyncEverythingAsync()
    {
        await using var scope = _site.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<FlattrSyncRunner>().RunOnceAsync(Ct);
    }

    private IContent Document(string title = "A post", bool? enabled = true)
    {
        var document = UmbracoModels.Article(_blogPost, title, enabled: enabled);
        _documents.Add(document);
        return document;
    }

    [Fact]
    public async Task ReconcileAsync_PublishedDocumentNeverSynced_QueuesItWithItsUrl()
    {
        var post = Document();

        Assert.Equal(1, await ReconcileAsync());

        var item = Store.Find(ContentThings.ExternalId(post.Key))!;
        Assert.Equal(SyncKind.Upsert, item.Kind);
        Assert.Equal($"https://blog.example/posts/{post.Key:N}/", item.Thing!.Url);
    }

    [Fact]
    public async Task ReconcileAsync_EverythingInSync_QueuesNothing()
    {
        Document();
        Document("Another");
        await ReconcileAsync();
        await SyncEverythingAsync();

        Assert.Equal(0, await ReconcileAsync());
    }

    [Fact]
    public async Task ReconcileAsync_TitleChangedWithoutANotification_QueuesTheDocumentAgain()
    {
        var post = Document("Before");
        await ReconcileAsync();
        await SyncEverythingAsync();

        post.Name = "After";
        Assert.Equal(1, await ReconcileAsync());

        Assert.Equal("After", Store.Find(ContentThings.ExternalId(post.Key))!.Thing!.Title);
    }

    [Fact]
    public async Task ReconcileAsync_UrlChanged_QueuesTheDocumentAgain()
    {
        var post = Document();
        await ReconcileAsync();
        await SyncEverythingAsync();

        _site.UrlOf = key => $"https://blog.example/moved/{key:N}/";

        Assert.Equal(1, await ReconcileAsync());
    }

    [Fact]
    public async Task ReconcileAsync_SyncedDocumentSwitchedOff_QueuesARetirement()
    {
        var post = Document();
        await ReconcileAsync();
        await SyncEverythingAsync();

        _documents.Remove(post);
        var switchedOff = UmbracoModels.Article(_blogPost, enabled: false, key: post.Key);
        _documents.Add(switchedOff);

        Assert.Equal(1, await ReconcileAsync());
        Assert.Equal(SyncKind.Retire, Store.Find(ContentThings.ExternalId(post.Key))!.Kind);
    }

    [Fact]
    public async Task ReconcileAsync_AncestorUnpublished_QueuesARetirement()
    {
        var post = Document();
        await ReconcileAsync();
        await SyncEverythingAsync();

        _site.ContentService.IsPathPublished(post).Returns(false);

        Assert.Equal(1, await ReconcileAsync());
        Assert.Equal(SyncKind.Retire, Store.Find(ContentThings.ExternalId(post.Key))!.Kind);
    }

    [Fact]
    public async Task ReconcileAsync_DocumentGoneWithoutANotification_RetiresItsThing()
    {
        var post = Document();
        await ReconcileAsync();
        await SyncEverythingAsync();

        _documents.Clear();

        Assert.Equal(1, await ReconcileAsync());
        Assert.Equal(SyncKind.Retire, Store.Find(ContentThings.ExternalId(post.Key))!.Kind);
    }

    [Fact]
    public async Task ReconcileAsync_NeverSyncedAndSwitchedOff_QueuesNothing()
    {
        Document(enabled: false);

        Assert.Equal(0, await ReconcileAsync());
    }

    [Fact]
    public async Task ReconcileAsync_ChangeAlreadyWaiting_IsLeftAsItIs()
    {
        var post = Document("Queued by the editor");
        var waiting = SyncItem.Retire(ContentThings.ExternalId(post.Key), _site.Time.GetUtcNow());
        await Store.EnqueueAsync(waiting, Ct);

        Assert.Equal(0, await ReconcileAsync());
        Assert.Equal(waiting.Version, Store.Find(ContentThings.ExternalId(post.Key))!.Version);
    }

    [Fact]
    public async Task ReconcileAsync_MoreDocumentsThanAPage_ReadsEveryPage()
    {
        for (var i = 0; i < 1203; i++)
        {
            Document($"Post {i}");
        }

        Assert.Equal(1203, await ReconcileAsync());
    }

    [Fact]
    public async Task RunIfDueAsync_OnlyEveryReconcileIntervalUnlessRequested()
    {
        await using var scope = _site.Services.CreateAsyncScope();
        var reconciler = scope.ServiceProvider.GetRequiredService<Reconciler>();
        Document();

        Assert.Equal(1, await reconciler.RunIfDueAsync(Ct)); // never ran before
        await SyncEverythingAsync();
        Assert.Null(await reconciler.RunIfDueAsync(Ct)); // not due
        Assert.Equal(_site.Time.GetUtcNow(), reconciler.LastRun);

        reconciler.Request(); // from the dashboard, on any server
        Assert.Equal(0, await reconciler.RunIfDueAsync(Ct));
        Assert.Null(await reconciler.RunIfDueAsync(Ct));

        _site.Time.Advance(TimeSpan.FromHours(24));
        Assert.Equal(0, await reconciler.RunIfDueAsync(Ct));
    }
}
