using System.Net;
using System.Text.Json;
using Flattr.HubClient;
using Flattr.Sync;
using Flattr.Umbraco.Configuration;
using Flattr.Umbraco.Content;
using Flattr.Umbraco.Sync;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Umbraco.Cms.Core.Services;

namespace Flattr.Umbraco.Management;

/// <summary>
/// The small API behind the Flattr workspace view and settings dashboard in the backoffice, at
/// <c>/umbraco/flattr/api/v1</c>. Only signed-in backoffice users get in (Umbraco's <c>BackOfficeAccess</c> policy).
/// Calls to the Hub made here are what an editor waits for; publishing never waits for the Hub.
/// </summary>
[ApiController]
[Route(RoutePrefix)]
[Authorize(Policy = BackOfficeAccessPolicy)]
[Produces("application/json")]
public sealed class FlattrManagementController : ControllerBase
{
    /// <summary>Where the API lives.</summary>
    public const string RoutePrefix = "umbraco/flattr/api/v1";

    /// <summary>Umbraco's policy for signed-in backoffice users (<c>AuthorizationPolicies.BackOfficeAccess</c> in Umbraco.Web.Common).</summary>
    public const string BackOfficeAccessPolicy = "BackOfficeAccess";

    private readonly IContentService _contentService;
    private readonly IContentTypeService _contentTypes;
    private readonly ContentThings _things;
    private readonly KeyValueSyncQueueStore _store;
    private readonly Reconciler _reconciler;
    private readonly FlattrHubClient _client;
    private readonly IOptionsMonitor<FlattrOptions> _options;
    private readonly IOptionsMonitor<FlattrHubOptions> _hubOptions;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the controller.</summary>
    /// <remarks>
    /// MVC needs a public constructor and the services behind this API are internal, so they are resolved here from the
    /// request's services rather than widening the package's public surface.
    /// </remarks>
    public FlattrManagementController(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _contentService = services.GetRequiredService<IContentService>();
        _contentTypes = services.GetRequiredService<IContentTypeService>();
        _things = services.GetRequiredService<ContentThings>();
        _store = services.GetRequiredService<KeyValueSyncQueueStore>();
        _reconciler = services.GetRequiredService<Reconciler>();
        _client = services.GetRequiredService<FlattrHubClient>();
        _options = services.GetRequiredService<IOptionsMonitor<FlattrOptions>>();
        _hubOptions = services.GetRequiredService<IOptionsMonitor<FlattrHubOptions>>();
        _timeProvider = services.GetRequiredService<TimeProvider>();
    }

    /// <summary>The document's Flattr state: enabled, queued, last synced, and its flattrs as the Hub counts them.</summary>
    [HttpGet("documents/{key:guid}")]
    [ProducesResponseType<DocumentStatus>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<DocumentStatus>> GetDocument(Guid key, CancellationToken cancellationToken)
    {
        if (_contentService.GetById(key) is not { } content)
        {
            return NotFound();
        }

        var id = ContentThings.ExternalId(key);
        var takesPart = ContentThings.TakesPart(content);
        var pending = _store.Find(id);
        var synced = _store.FindSynced(id);
        var creator = takesPart ? _things.Creator(content) : null;
        HubThing? hub = null;
        string? hubError = null;
        if (takesPart || synced is not null)
        {
            try
            {
                using var limit = Limit(cancellationToken);
                if (await _client.GetThingAsync(id, limit.Token).ConfigureAwait(false) is { } thing)
                {
                    hub = new HubThing(thing.Retired, thing.Clicks.ThisPeriod, thing.Clicks.AllTime, thing.FlattrUrl, thing.Creator.Claimed);
                }
            }
            catch (Exception e) when (Describe(e, cancellationToken) is { } problem)
            {
                hubError = problem;
            }
        }

        var state = (takesPart, pending, synced) switch
        {
            (false, null, null) => "not-applicable",
            (_, { Failed: true }, _) => "failed",
            (_, { }, _) => "pending",
            (_, null, { Kind: SyncKind.Upsert }) => "synced",
            (_, null, { Kind: SyncKind.Retire }) => "retired",
            _ => "never-synced",
        };

        return new DocumentStatus(
            key,
            takesPart,
            takesPart && _things.IsEnabled(content),
            content.Published,
            state,
            pending is null ? null : new PendingChange(Kind(pending.Kind), pending.EnqueuedAt, pending.Attempts, pending.NextAttemptAt, pending.Failed, pending.LastError),
            synced is null ? null : new LastSync(Kind(synced.Kind), synced.SyncedAt),
            creator is null ? null : new CreatorInfo(creator.ExternalId!, creator.Name),
            hub,
            hubError);
    }

    /// <summary>Queues the document's current state for the Hub again (an upsert, or a retirement if it should not be listed).</summary>
    [HttpPost("documents/{key:guid}/resync")]
    [ProducesResponseType<ResyncResult>(StatusCodes.Status202Accepted)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ResyncResult>> Resync(Guid key, CancellationToken cancellationToken)
    {
        if (_contentService.GetById(key) is not { } content)
        {
            return NotFound();
        }

        var item = _things.Decide(content, _timeProvider.GetUtcNow());
        if (item is not null)
        {
            await _store.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
        }

        return Accepted(new ResyncResult(item is null ? null : Kind(item.Kind)));
    }

    /// <summary>Asks the Hub for a single-use link with which the document's creator (its author, usually) claims their flattrs.</summary>
    [HttpPost("documents/{key:guid}/claim-link")]
    [ProducesResponseType<ClaimLinkResult>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway)]
    public async Task<ActionResult<ClaimLinkResult>> RequestClaimLink(Guid key, CancellationToken cancellationToken)
    {
        if (_contentService.GetById(key) is not { } content || !ContentThings.TakesPart(content))
        {
            return NotFound();
        }

        var creator = _things.Creator(content);
        return await ClaimLinkAsync(new CreatorInfo(creator.ExternalId!, creator.Name), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the Hub for a claim link for the site's default creator.</summary>
    [HttpPost("default-creator/claim-link")]
    [ProducesResponseType<ClaimLinkResult>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway)]
    public async Task<ActionResult<ClaimLinkResult>> RequestDefaultCreatorClaimLink(CancellationToken cancellationToken)
    {
        var settings = _options.CurrentValue;
        return await ClaimLinkAsync(new CreatorInfo(settings.DefaultCreator!, settings.DefaultCreatorName), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The configuration check: is the Hub reachable, does it accept this installation, how deep is the outbox.</summary>
    [HttpGet("status")]
    [ProducesResponseType<ConfigurationStatus>(StatusCodes.Status200OK)]
    public async Task<ActionResult<ConfigurationStatus>> GetStatus(CancellationToken cancellationToken)
    {
        var settings = _options.CurrentValue;
        var hub = _hubOptions.CurrentValue;
        bool reachable = false, verified = false;
        string? name = null, problem = null;
        try
        {
            using var limit = Limit(cancellationToken);
            var installation = await _client.GetInstallationAsync(limit.Token).ConfigureAwait(false);
            (reachable, verified, name) = (true, true, installation.Name);
        }
        catch (FlattrHubException e) when (e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            reachable = true;
            problem = "The Hub does not accept this site's InstallationId and Secret. Check them, or ask your Hub admin to rotate the secret.";
        }
        catch (Exception e) when (Describe(e, cancellationToken) is { } described)
        {
            reachable = e is FlattrHubException;
            problem = described;
        }

        var outbox = await _store.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        var failed = await _store.GetFailedAsync(10, cancellationToken).ConfigureAwait(false);
        var documentTypes = settings.DocumentTypes.Select(alias => _contentTypes.Get(alias) is { } type
                ? new DocumentTypeStatus(alias, true, type.CompositionPropertyTypes.Any(p => p.Alias == FlattrAliases.Enabled))
                : new DocumentTypeStatus(alias, false, false))
            .ToList();

        return new ConfigurationStatus(
            hub.HubUrl?.AbsoluteUri,
            hub.InstallationId,
            reachable,
            verified,
            name,
            problem,
            new OutboxStatus(outbox.Pending, outbox.Failed, outbox.OldestEnqueuedAt),
            [.. failed.Select(i => new FailedItem(i.ExternalId, i.LastError, i.EnqueuedAt))],
            documentTypes,
            _reconciler.LastRun,
            settings.EnabledByDefault,
            new CreatorInfo(settings.DefaultCreator!, settings.DefaultCreatorName));
    }

    /// <summary>Asks the sync worker to compare every Flattr-enabled document with the Hub on its next pass.</summary>
    [HttpPost("reconcile")]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    public IActionResult RequestReconcile()
    {
        _reconciler.Request();
        return Accepted();
    }

    private async Task<ActionResult<ClaimLinkResult>> ClaimLinkAsync(CreatorInfo creator, CancellationToken cancellationToken)
    {
        try
        {
            using var limit = Limit(cancellationToken);
            var link = await _client.RequestClaimLinkAsync(creator.Id, limit.Token).ConfigureAwait(false);
            return new ClaimLinkResult(creator, link.Url, link.ExpiresAt);
        }
        catch (Exception e) when (Describe(e, cancellationToken) is { } problem)
        {
            return Problem(title: "The Hub did not issue a claim link.", detail: problem, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    // The editor waits for these calls, so they get a shorter limit than the resilience pipeline's total timeout.
    private HubCallLimit Limit(CancellationToken cancellationToken) => new(_timeProvider, cancellationToken);

    private sealed class HubCallLimit : IDisposable
    {
        private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);
        private readonly CancellationTokenSource _timeout;
        private readonly CancellationTokenSource _linked;

        public HubCallLimit(TimeProvider timeProvider, CancellationToken cancellationToken)
        {
            _timeout = new CancellationTokenSource(Duration, timeProvider);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timeout.Token);
        }

        public CancellationToken Token => _linked.Token;

        public void Dispose()
        {
            _linked.Dispose();
            _timeout.Dispose();
        }
    }

    private static string Kind(SyncKind kind) => kind == SyncKind.Upsert ? "upsert" : "retire";

    // Words for the site owner for everything a Hub call can fail with; null (rethrow) when the request itself was cancelled.
    private static string? Describe(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        FlattrHubException hub => hub.Message,
        BrokenCircuitException => "The Hub failed repeatedly just now; the module waits a little before asking again.",
        TimeoutRejectedException or OperationCanceledException => "The Hub did not answer in time.",
        HttpRequestException http => $"The Hub could not be reached: {http.Message}",
        JsonException => "The Hub answered with something that is not Flattr's API. Check Flattr:HubUrl.",
        _ => null,
    };
}
