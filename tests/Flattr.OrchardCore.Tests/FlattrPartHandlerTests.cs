using System.Text.Json.Nodes;
using Flattr.OrchardContent;
using Flattr.OrchardCore.Handlers;
using Flattr.OrchardCore.Models;
using Flattr.OrchardCore.Services;
using Flattr.Sync;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OrchardCore.ContentManagement.Handlers;
using OrchardCore.ContentManagement.Metadata;
using OrchardCore.ContentManagement.Metadata.Models;
using OrchardCore.Environment.Shell;

namespace Flattr.OrchardCore.Tests;

/// <summary>The content handler writing published, unpublished and removed items into the tenant's real queue folder.</summary>
public sealed class FlattrPartHandlerTests : IDisposable
{
    private readonly DirectoryInfo _appData = Directory.CreateTempSubdirectory("flattr-oc-");
    private readonly FileSyncQueueStore _store;
    private readonly OrchardContentSync _sync;

    public FlattrPartHandlerTests()
    {
        _store = new FileSyncQueueStore(OrchardContentSync.QueueFolder(_appData.FullName, "Sites", "Default"));
        _sync = new OrchardContentSync(_store, TimeProvider.System);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _sync.Dispose();
        _store.Dispose();
        _appData.Delete(recursive: true);
    }

    private FlattrPartHandler Handler(FlattrCreatorSettings settings, string? baseUrl = "https://www.example.org/", JsonObject? partSettings = null)
    {
        var definitions = new Mock<IContentDefinitionManager>();
        definitions.Setup(d => d.GetTypeDefinitionAsync(It.IsAny<string>())).ReturnsAsync((string type) => new ContentTypeDefinition(
            type,
            type,
            [new ContentTypePartDefinition(nameof(FlattrPart), new ContentPartDefinition(nameof(FlattrPart)), partSettings ?? [])],
            []));
        var contentSync = new FlattrContentSync(
            _sync,
            TestSite.SiteSettings(settings, baseUrl),
            definitions.Object,
            new HttpContextAccessor(), // no request: nothing is flushed here, the background task would
            new ShellSettings { Name = "Default" },
            NullLogger<FlattrContentSync>.Instance);
        return new FlattrPartHandler(contentSync);
    }

    private async Task<SyncItem> QueuedAsync() => Assert.Single(await _store.GetDueAsync(DateTimeOffset.MaxValue, 10, Ct));

    [Fact]
    public async Task PublishedAsync_BlogPost_QueuesAnUpsertOfTheThing()
    {
        var item = TestSite.Item("blog-post.published.json");

        await Handler(TestSite.CompleteSettings()).PublishedAsync(new PublishContentContext(item, previousContentItem: null), new FlattrPart());

        var queued = await QueuedAsync();
        Assert.Equal(SyncKind.Upsert, queued.Kind);
        Assert.Equal("4q6rbcvd8w1hm2ez3nphy0kx5t", queued.ExternalId);
        Assert.Equal("https://www.example.org/blog/mending-a-bicycle-wheel", queued.Thing!.Url);
        Assert.Equal(["Cycling", "Repair"], queued.Thing.Tags);
    }

    [Fact]
    public async Task PublishedAsync_TypeWithPartSettings_DescribesTheThingWithThem()
    {
        var item = TestSite.Item("podcast-episode.creator-override.json");
        var partSettings = new JsonObject { [nameof(FlattrPartSettings)] = new JsonObject { ["Category"] = "audio", ["Hidden"] = true } };

        await Handler(TestSite.CompleteSettings(), partSettings: partSettings).PublishedAsync(new PublishContentContext(item, null), new FlattrPart());

        var thing = (await QueuedAsync()).Thing!;
        Assert.Equal("audio", thing.Category);
        Assert.True(thing.Hidden);
    }

    [Fact]
    public async Task PublishedAsync_ItemSwitchedOff_QueuesARetirement()
    {
        var item = TestSite.Item("article.disabled.json");

        await Handler(TestSite.CompleteSettings()).PublishedAsync(new PublishContentContext(item, null), new FlattrPart());

        Assert.Equal(SyncKind.Retire, (await QueuedAsync()).Kind);
    }

    [Fact]
    public async Task PublishedAsync_SiteWithoutBaseUrl_QueuesNothing()
    {
        var item = TestSite.Item("blog-post.published.json");

        await Handler(TestSite.CompleteSettings(), baseUrl: null).PublishedAsync(new PublishContentContext(item, null), new FlattrPart());

        Assert.Equal(0, (await _store.GetStatusAsync(Ct)).Pending);
    }

    [Fact]
    public async Task UnpublishedAsync_AnyItem_QueuesARetirement()
    {
        var item = TestSite.Item("blog-post.published.json");

        await Handler(TestSite.CompleteSettings()).UnpublishedAsync(new PublishContentContext(item, null), new FlattrPart());

        var queued = await QueuedAsync();
        Assert.Equal(SyncKind.Retire, queued.Kind);
        Assert.Equal("4q6rbcvd8w1hm2ez3nphy0kx5t", queued.ExternalId);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task RemovedAsync_VersionsLeftOrNot_RetiresOnlyWhenNoneIsLeft(bool noActiveVersionLeft, int expected)
    {
        var item = TestSite.Item("blog-post.published.json");

        await Handler(TestSite.CompleteSettings()).RemovedAsync(new RemoveContentContext(item, noActiveVersionLeft), new FlattrPart());

        Assert.Equal(expected, (await _store.GetStatusAsync(Ct)).Pending);
    }
}
