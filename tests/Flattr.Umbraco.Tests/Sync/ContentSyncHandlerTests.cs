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

namespace Flattr.Umbraco.Tests.Sync;

/// <summary>Content notifications, with Umbraco's real content models and notification types, queue the right change.</summary>
public sealed class ContentSyncHandlerTests : IAsyncDisposable
{
    private readonly UmbracoTestSite _site = new();
    private readonly ContentType _blogPost;

    public ContentSyncHandlerTests() => _blogPost = _site.BlogPostType();

    public ValueTask DisposeAsync() => _site.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ContentSyncHandler Handler() => ActivatorUtilities.CreateInstance<ContentSyncHandler>(_site.Services);

    private SyncItem? Queued(IContent content) => _site.Get<KeyValueSyncQueueStore>().Find(ContentThings.ExternalId(content.Key));

    [Fact]
    public async Task Published_EnabledArticle_QueuesAnUpsertWithTitleCreatorAndCategoryButNoUrlYet()
    {
        var post = UmbracoModels.Article(_blogPost, "Ten years of <script>", enabled: true);

        await Handler().HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);

        var item = Queued(post)!;
        Assert.Equal(SyncKind.Upsert, item.Kind);
        Assert.Equal("Ten years of <script>", item.Thing!.Title);
        Assert.Equal("text", item.Thing.Category);
        Assert.Null(item.Thing.Url); // resolved from the published cache when it is sent
        Assert.Equal(CreatorResolverTests.AuthorCreatorId(_site.Author), item.Thing.Creator!.ExternalId);
        Assert.Equal("Ann Author", item.Thing.Creator.Name);
        Assert.Equal(UmbracoTestSite.Start, item.EnqueuedAt);
    }

    [Fact]
    public async Task Published_ToggleNeverTouchedAndSiteDefaultOn_QueuesAnUpsert()
    {
        var post = UmbracoModels.Article(_blogPost, enabled: null);

        await Handler().HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);

        Assert.Equal(SyncKind.Upsert, Queued(post)!.Kind);
    }

    [Fact]
    public async Task Published_ToggleNeverTouchedAndSiteDefaultOff_QueuesARetirement()
    {
        _site.Settings["Flattr:EnabledByDefault"] = "false";
        var post = UmbracoModels.Article(_blogPost, enabled: null);

        await Handler().HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);

        Assert.Equal(SyncKind.Retire, Queued(post)!.Kind);
    }

    [Fact]
    public async Task Published_EditorSwitchedTheButtonOff_QueuesARetirement()
    {
        var post = UmbracoModels.Article(_blogPost, enabled: false);

        await Handler().HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);

        Assert.Equal(SyncKind.Retire, Queued(post)!.Kind);
    }

    [Fact]
    public async Task Published_ProtectedPage_QueuesARetirement()
    {
        var post = UmbracoModels.Article(_blogPost, enabled: true);
        _site.PublicAccess.IsProtected(post).Returns(Attempt.Succeed<PublicAccessEntry?>(null));

        await Handler().HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);

        Assert.Equal(SyncKind.Retire, Queued(post)!.Kind);
    }

    [Fact]
    public async Task Published_TypeWithoutTheFlattrToggle_QueuesNothing()
    {
        var page = UmbracoModels.Article(UmbracoModels.DocumentType("homePage"));

        await Handler().HandleAsync(new ContentPublishedNotification(page, new EventMessages()), Ct);

        Assert.Null(Queued(page));
        Assert.Empty(_site.KeyValues.Rows);
    }

    [Fact]
    public async Task Published_CreatorOverride_WinsOverTheAuthor()
    {
        var post = UmbracoModels.Article(_blogPost, enabled: true, creator: "  guest-writer ");

        await Handler().HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);

        Assert.Equal("guest-writer", Queued(post)!.Thing!.Creator!.ExternalId);
    }

    [Fact]
    public async Task Published_BranchOfSeveral_QueuesEach()
    {
        var posts = Enumerable.Range(0, 3).Select(i => UmbracoModels.Article(_blogPost, $"Post {i}", enabled: true)).ToList();

        await Handler().HandleAsync(new ContentPublishedNotification(posts, new EventMessages()), Ct);

        Assert.Equal(3, (await _site.Get<KeyValueSyncQueueStore>().GetStatusAsync(Ct)).Pending);
    }

    [Fact]
    public async Task Unpublished_QueuesARetirement()
    {
        var post = UmbracoModels.Article(_blogPost, enabled: true, published: false);

        await Handler().HandleAsync(new ContentUnpublishedNotification(post, new EventMessages()), Ct);

        Assert.Equal(SyncKind.Retire, Queued(post)!.Kind);
    }

    [Fact]
    public async Task MovedToRecycleBin_QueuesARetirementForEveryMovedDocument()
    {
        var parent = UmbracoModels.Article(_blogPost, enabled: true);
        var child = UmbracoModels.Article(_blogPost, enabled: true);

        await Handler().HandleAsync(
            new ContentMovedToRecycleBinNotification(
                [new MoveToRecycleBinEventInfo<IContent>(parent, parent.Path), new MoveToRecycleBinEventInfo<IContent>(child, child.Path)],
                new EventMessages()),
            Ct);

        Assert.Equal(SyncKind.Retire, Queued(parent)!.Kind);
        Assert.Equal(SyncKind.Retire, Queued(child)!.Kind);
    }

    [Fact]
    public async Task Deleted_QueuesARetirement()
    {
        var post = UmbracoModels.Article(_blogPost, enabled: true);

        await Handler().HandleAsync(new ContentDeletedNotification(post, new EventMessages()), Ct);

        Assert.Equal(SyncKind.Retire, Queued(post)!.Kind);
    }

    [Fact]
    public async Task Deleted_TypeLostTheCompositionButTheHubHasTheThing_StillRetiresIt()
    {
        var page = UmbracoModels.Article(UmbracoModels.DocumentType("oldPost"));
        var store = _site.Get<KeyValueSyncQueueStore>();
        var sent = SyncItem.Upsert(ContentThings.ExternalId(page.Key), new Protocol.ThingUpsert { Title = "x" }, UmbracoTestSite.Start);
        await store.EnqueueAsync(sent, Ct);
        await store.RemoveAsync(sent, Ct);

        await Handler().HandleAsync(new ContentDeletedNotification(page, new EventMessages()), Ct);

        Assert.Equal(SyncKind.Retire, Queued(page)!.Kind);
    }

    [Fact]
    public async Task Moved_PublishedArticle_QueuesAnUpsertSoTheNewUrlIsSent()
    {
        var post = UmbracoModels.Article(_blogPost, enabled: true);

#if UMBRACO_18
        var move = new MoveEventInfo<IContent>(post, post.Path, Guid.NewGuid()); // 18 identifies the new parent by key only
#else
        var move = new MoveEventInfo<IContent>(post, post.Path, 1234, Guid.NewGuid());
#endif
        await Handler().HandleAsync(new ContentMovedNotification(move, new EventMessages()), Ct);

        Assert.Equal(SyncKind.Upsert, Queued(post)!.Kind);
    }

    [Fact]
    public async Task Published_DatabaseDown_DoesNotFailThePublish()
    {
        var post = UmbracoModels.Article(_blogPost, enabled: true);
        _site.KeyValues.Failing = true;

        var publish = Handler().HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);

        await publish; // completes without throwing: the reconcile pass queues it later
        Assert.True(publish.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Published_HubDown_OnlyTheDatabaseIsTouched()
    {
        _site.Hub.Behaviour = HubBehaviour.Down;
        var post = UmbracoModels.Article(_blogPost, enabled: true);

        await Handler().HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);

        Assert.Empty(_site.Hub.Requests);
        Assert.NotNull(Queued(post));
    }
}
