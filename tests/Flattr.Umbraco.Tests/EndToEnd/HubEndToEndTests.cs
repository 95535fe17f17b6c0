using Flattr.HubClient;
using Flattr.Sync;
using Flattr.Umbraco.Content;
using Flattr.Umbraco.Management;
using Flattr.Umbraco.Rendering;
using Flattr.Umbraco.Sync;
using Flattr.Umbraco.Tests.Infrastructure;
using Flattr.Umbraco.Tests.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Umbraco.Cms.Core.Events;
using Umbraco.Cms.Core.Notifications;

namespace Flattr.Umbraco.Tests.EndToEnd;

/// <summary>
/// The module against the real Hub on loopback: the sync worker's pass pushes real signed requests, the Hub stores what
/// it was sent, and the rendered button's link verifies with the installation's secret.
/// </summary>
public sealed class HubEndToEndTests : IAsyncLifetime
{
    private readonly UmbracoTestSite _site = new();
    private LoopbackHub _hub = null!;
    private string _installationId = null!;
    private string _secret = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _hub = await LoopbackHub.StartAsync(_site.Time, Ct);
        var installation = await _hub.AddInstallationAsync();
        (_installationId, _secret) = (installation.Installation.Id, installation.Secret);
        _site.HubUrl = _hub.BaseAddress;
        _site.Settings["Flattr:InstallationId"] = _installationId;
        _site.Settings["Flattr:Secret"] = _secret;
        _site.BlogPostType();
        _site.KeyValues.SetValue(Reconciler.LastRunKey, _site.Time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        await _site.DisposeAsync();
        await _hub.DisposeAsync();
    }

    private async Task<SyncPassResult> PassAsync()
    {
        await using var scope = _site.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<FlattrSyncRunner>().RunOnceAsync(Ct))!;
    }

    private async Task<Flattr.Protocol.ThingView?> SignedGetAsync(Guid key)
    {
        await using var scope = _site.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FlattrHubClient>().GetThingAsync(ContentThings.ExternalId(key), Ct);
    }

    [Fact]
    public async Task PublishThenWorkerPass_TheThingIsInTheHubsDatabaseAndItsSignedApi()
    {
        var post = UmbracoModels.Article(_site.ContentTypes.Get("blogPost")!, "Ten years of Flattr & friends", enabled: true);
        await ActivatorUtilities.CreateInstance<ContentSyncHandler>(_site.Services).HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);

        var pass = await PassAsync();

        Assert.Equal(new SyncRunResult(1, 0, 0, 0), pass.Drain);
        var stored = await _hub.WithDbAsync(db => db.Things.Include(t => t.Creator)
            .SingleAsync(t => t.InstallationId == _installationId && t.ExternalId == ContentThings.ExternalId(post.Key), Ct));
        Assert.Equal("Ten years of Flattr & friends", stored.Title);
        Assert.Equal($"https://blog.example/posts/{post.Key:N}/", stored.Url);
        Assert.Equal("text", stored.Category);
        Assert.Equal(CreatorResolver.UserPrefix + _site.Author.Key.ToString("N"), stored.Creator.ExternalId);
        Assert.Equal("Ann Author", stored.Creator.Name);
        Assert.Null(stored.RetiredAt);

        var view = await SignedGetAsync(post.Key);
        Assert.Equal(("Ten years of Flattr & friends", false), (view!.Title, view.Retired));
        Assert.Equal(0, view.Clicks.AllTime);
    }

    [Fact]
    public async Task UnpublishThenWorkerPass_TheHubRetiresTheThing()
    {
        var post = UmbracoModels.Article(_site.ContentTypes.Get("blogPost")!, enabled: true);
        var handler = ActivatorUtilities.CreateInstance<ContentSyncHandler>(_site.Services);
        await handler.HandleAsync(new ContentPublishedNotification(post, new EventMessages()), Ct);
        await PassAsync();

        post.Published = false;
        await handler.HandleAsync(new ContentUnpublishedNotification(post, new EventMessages()), Ct);
        var pass = await PassAsync();

        Assert.Equal(new SyncRunResult(0, 1, 0, 0), pass.Drain);
        Assert.True((await SignedGetAsync(post.Key))!.Retired);
        Assert.NotNull(await _hub.WithDbAsync(db => db.Things.Where(t => t.ExternalId == ContentThings.ExternalId(post.Key)).Select(t => t.RetiredAt).SingleAsync(Ct)));
    }

    [Fact]
    public async Task RenderedButton_LinksToThisHubAndVerifiesWithTheInstallationSecret()
    {
        var page = PublishedModels.Page("Rendered & linked", enabled: 1);
        var helper = ActivatorUtilities.CreateInstance<FlattrButtonTagHelper>(_site.Services);
        helper.Content = page;
        var (context, output) = RenderingTestKit.Tag("flattr-button");

        helper.Process(context, output);
        var href = RenderingTestKit.Parse(RenderingTestKit.Render(output)).QuerySelector("a.flattr-button")!.GetAttribute("href")!;

        Assert.StartsWith(new Uri(_hub.BaseAddress, "flattr?").AbsoluteUri, href, StringComparison.Ordinal);
        var link = RenderingTestKit.VerifiedLink(href, _secret);
        Assert.Equal((_installationId, ContentThings.ExternalId(page.Key), "Rendered & linked"), (link.InstallationId, link.ExternalId, link.Title));

        // A reader following the button reaches the Hub's flattr page, which accepts the signature and registers the
        // thing on this first click, as the original Flattr's auto-submit did.
        using var reader = new HttpClient();
        using var response = await reader.GetAsync(new Uri(href), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {html}");
        Assert.Contains("Rendered &amp; linked", html, StringComparison.Ordinal);
        var registered = await _hub.WithDbAsync(db => db.Things.CountAsync(t => t.InstallationId == _installationId && t.ExternalId == link.ExternalId, Ct));
        Assert.Equal(1, registered);
    }

    [Fact]
    public async Task ConfigurationCheck_RealHub_VerifiesTheInstallation()
    {
        await using var request = _site.Services.CreateAsyncScope();
        var controller = ActivatorUtilities.CreateInstance<FlattrManagementController>(request.ServiceProvider);

        var status = (await controller.GetStatus(Ct)).Value!;

        Assert.True(status.InstallationVerified, status.Problem);
        Assert.Equal("Umbraco blog", status.InstallationName);
    }

    [Fact]
    public async Task ConfigurationCheck_WrongSecret_SaysTheHubRejectsTheCredentials()
    {
        await using var wrong = new UmbracoTestSite(time: _site.Time) { HubUrl = _hub.BaseAddress };
        wrong.Settings["Flattr:InstallationId"] = _installationId;
        wrong.Settings["Flattr:Secret"] = "not-the-secret";
        await using var request = wrong.Services.CreateAsyncScope();

        var status = (await ActivatorUtilities.CreateInstance<FlattrManagementController>(request.ServiceProvider).GetStatus(Ct)).Value!;

        Assert.True(status.HubReachable);
        Assert.False(status.InstallationVerified);
        Assert.StartsWith("The Hub does not accept this site's InstallationId and Secret", status.Problem, StringComparison.Ordinal);
    }
}
