using System.Reflection;
using Flattr.Sync;
using Flattr.Umbraco.Content;
using Flattr.Umbraco.Management;
using Flattr.Umbraco.Sync;
using Flattr.Umbraco.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Flattr.Umbraco.Tests.Management;

/// <summary>The backoffice API, called as MVC would call it, against the stubbed Hub.</summary>
public sealed class FlattrManagementControllerTests : IAsyncDisposable
{
    private readonly UmbracoTestSite _site = new();
    private readonly global::Umbraco.Cms.Core.Models.ContentType _blogPost;

    public FlattrManagementControllerTests() => _blogPost = _site.BlogPostType();

    private readonly List<AsyncServiceScope> _requests = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var request in _requests)
        {
            await request.DisposeAsync();
        }

        await _site.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // One request scope per controller, as MVC creates it.
    private FlattrManagementController Controller()
    {
        var request = _site.Services.CreateAsyncScope();
        _requests.Add(request);
        return ActivatorUtilities.CreateInstance<FlattrManagementController>(request.ServiceProvider);
    }

    [Fact]
    public void Controller_IsABackofficeOnlyApiUnderUmbracoFlattr()
    {
        var type = typeof(FlattrManagementController);

        Assert.Equal("BackOfficeAccess", type.GetCustomAttribute<AuthorizeAttribute>()!.Policy);
        Assert.Equal("umbraco/flattr/api/v1", type.GetCustomAttribute<RouteAttribute>()!.Template);
        Assert.True(typeof(ControllerBase).IsAssignableFrom(type) && !typeof(Controller).IsAssignableFrom(type));
        Assert.DoesNotContain(type.GetMethods(), m => m.GetCustomAttribute<AllowAnonymousAttribute>() is not null);
    }

    [Fact]
    public async Task GetDocument_SyncedArticle_ReportsStateLastSyncCreatorAndTheHubsCounts()
    {
        var post = _site.Stored(UmbracoModels.Article(_blogPost, enabled: true));
        var store = _site.Get<KeyValueSyncQueueStore>();
        var item = SyncItem.Upsert(ContentThings.ExternalId(post.Key), new Protocol.ThingUpsert { Title = "x" }, _site.Time.GetUtcNow());
        await store.EnqueueAsync(item, Ct);
        await store.RemoveAsync(item, Ct);

        var status = (await Controller().GetDocument(post.Key, Ct)).Value!;

        Assert.Equal(("synced", true, true, true), (status.State, status.TakesPart, status.Enabled, status.Published));
        Assert.Equal(new LastSync("upsert", UmbracoTestSite.Start), status.LastSync);
        Assert.Equal("Ann Author", status.Creator!.Name);
        Assert.Equal(new HubThing(false, 3, 42, "https://hub.example/things/t1", false), status.Hub);
        Assert.Null(status.HubError);
    }

    [Fact]
    public async Task GetDocument_HubDown_StillAnswersWithTheLocalStateAndSaysWhy()
    {
        _site.Hub.Behaviour = HubBehaviour.Down;
        var post = _site.Stored(UmbracoModels.Article(_blogPost, enabled: true));
        await Controller().Resync(post.Key, Ct);

        var status = (await Controller().GetDocument(post.Key, Ct)).Value!;

        Assert.Equal("pending", status.State);
        Assert.Equal("upsert", status.Pending!.Kind);
        Assert.Null(status.Hub);
        Assert.StartsWith("The Hub could not be reached", status.HubError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDocument_UnknownDocument_IsNotFound()
    {
        Assert.IsType<NotFoundResult>((await Controller().GetDocument(Guid.NewGuid(), Ct)).Result);
    }

    [Fact]
    public async Task GetDocument_TypeWithoutFlattr_IsNotApplicableAndDoesNotAskTheHub()
    {
        var page = _site.Stored(UmbracoModels.Article(UmbracoModels.DocumentType("homePage")));

        var status = (await Controller().GetDocument(page.Key, Ct)).Value!;

        Assert.Equal("not-applicable", status.State);
        Assert.Empty(_site.Hub.Requests);
    }

    [Fact]
    public async Task Resync_DisabledArticle_QueuesARetirement()
    {
        var post = _site.Stored(UmbracoModels.Article(_blogPost, enabled: false));

        var accepted = Assert.IsType<AcceptedResult>((await Controller().Resync(post.Key, Ct)).Result);

        Assert.Equal(new ResyncResult("retire"), accepted.Value);
        Assert.Equal(SyncKind.Retire, _site.Get<KeyValueSyncQueueStore>().Find(ContentThings.ExternalId(post.Key))!.Kind);
    }

    [Fact]
    public async Task RequestClaimLink_Article_AsksTheHubForItsCreatorsLink()
    {
        var post = _site.Stored(UmbracoModels.Article(_blogPost, enabled: true, creator: "guest/writer"));

        var link = (await Controller().RequestClaimLink(post.Key, Ct)).Value!;

        Assert.Equal(new CreatorInfo("guest/writer", null), link.Creator);
        Assert.Equal("https://hub.example/claim/abc", link.Url);
        Assert.Contains(_site.Hub.Requests, r => r.Path == "/api/v1/creators/guest%2Fwriter/claim-link");
    }

    [Fact]
    public async Task RequestClaimLink_HubFails_IsABadGatewayProblemWithTheReason()
    {
        _site.Hub.Behaviour = HubBehaviour.ServerError;

        var result = (await Controller().RequestDefaultCreatorClaimLink(Ct)).Result;

        var problem = Assert.IsType<ObjectResult>(result);
        Assert.Equal(502, problem.StatusCode);
        Assert.Contains("503", Assert.IsType<ProblemDetails>(problem.Value).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatus_HealthyHub_VerifiesTheInstallationAndReportsTheOutbox()
    {
        _site.Settings["Flattr:DocumentTypes:1"] = "missingType";
        var store = _site.Get<KeyValueSyncQueueStore>();
        var failed = SyncItem.Upsert("f", new Protocol.ThingUpsert(), _site.Time.GetUtcNow());
        await store.EnqueueAsync(failed, Ct);
        await store.UpdateAsync(failed, failed with { Failed = true, LastError = "The title is required." }, Ct);
        await store.EnqueueAsync(SyncItem.Retire("r", _site.Time.GetUtcNow()), Ct);

        var status = (await Controller().GetStatus(Ct)).Value!;

        Assert.True(status.HubReachable);
        Assert.True(status.InstallationVerified);
        Assert.Equal("Test blog", status.InstallationName);
        Assert.Null(status.Problem);
        Assert.Equal(new OutboxStatus(1, 1, UmbracoTestSite.Start), status.Outbox);
        Assert.Equal("The title is required.", Assert.Single(status.FailedItems).Error);
        Assert.Equal([new DocumentTypeStatus("blogPost", true, true), new DocumentTypeStatus("missingType", false, false)], status.DocumentTypes);
        Assert.Equal(new CreatorInfo("my-blog", "My Blog"), status.DefaultCreator);
    }

    [Fact]
    public async Task GetStatus_HubDown_ReportsUnreachable()
    {
        _site.Hub.Behaviour = HubBehaviour.Down;

        var status = (await Controller().GetStatus(Ct)).Value!;

        Assert.False(status.HubReachable);
        Assert.False(status.InstallationVerified);
        Assert.StartsWith("The Hub could not be reached", status.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatus_HubHangs_GivesUpAfterTenSecondsOnTheClock()
    {
        _site.Hub.Behaviour = HubBehaviour.Hang;

        var call = Controller().GetStatus(Ct);
        await _site.Hub.NextArrivalAsync(Ct);
        _site.Time.Advance(TimeSpan.FromSeconds(10));
        var status = (await call).Value!;

        Assert.False(status.HubReachable);
        Assert.Equal("The Hub did not answer in time.", status.Problem);
    }

    [Fact]
    public async Task RequestReconcile_ThenAWorkerPass_ReconcilesEverything()
    {
        _site.ContentTypes.GetAll().Returns([_blogPost]);

        Assert.IsType<AcceptedResult>(Controller().RequestReconcile());
        await using var scope = _site.Services.CreateAsyncScope();
        _site.KeyValues.SetValue(Reconciler.LastRunKey, _site.Time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var pass = await scope.ServiceProvider.GetRequiredService<FlattrSyncRunner>().RunOnceAsync(Ct);

        Assert.Equal(0, pass!.Reconciled);
        Assert.Equal(string.Empty, _site.KeyValues.GetValue(Reconciler.RequestedKey));
    }
}
