using System.Text.Json;
using Flattr.Hub.Infrastructure.Telemetry;
using Flattr.Hub.Installations;
using Flattr.Protocol;
using Flattr.Things;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Things;

/// <summary>The installation protocol's things API: signed, and confined to the calling installation's own data.</summary>
public static class ThingsEndpoints
{
    public static RouteGroupBuilder MapThingsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1").WithTags("Installations").AddEndpointFilter<SignedRequestFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapPut("/things/{externalId}", PutThing)
            .Accepts<ThingUpsert>("application/json")
            .WithName("PutThing").WithSummary("Create or update a thing of the calling installation");
        api.MapGet("/things/{externalId}", GetThing).WithName("GetThing").WithSummary("Get a thing of the calling installation");
        api.MapDelete("/things/{externalId}", DeleteThing).WithName("RetireThing").WithSummary("Retire a thing; its history stays");
        api.MapPost("/things:batch", BatchUpsert)
            .Accepts<ThingBatchRequest>("application/json")
            .WithName("BatchUpsertThings").WithSummary($"Create or update up to {ThingLimits.BatchSize} things, all or nothing");
        api.MapGet("/installation", GetInstallation).WithName("GetInstallation").WithSummary("What the Hub knows of the calling installation");
        return api;
    }

    public static async Task<Results<Created<ThingView>, Ok<ThingView>, ProblemHttpResult, ValidationProblem>> PutThing(
        string externalId, HttpContext http, ThingStore store, HubMetrics metrics, CancellationToken cancellationToken)
    {
        var request = SignedRequestFilter.Get(http);
        externalId = ExternalId(http, externalId);
        if (!TryRead(request.Body, ProtocolJson.ThingUpsert, out var upsert, out var problem))
        {
            return problem;
        }

        var errors = ThingValidation.Validate(externalId, upsert);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The thing is not valid.");
        }

        (bool created, Thing thing) = (await UpsertWithRetryAsync(store, request.Installation.Id, [(externalId, upsert!)], cancellationToken))[0];
        metrics.ThingsUpserted.Add(1);
        var view = (await store.ViewsAsync([thing], cancellationToken))[0];
        return created ? TypedResults.Created($"/api/v1/things/{Uri.EscapeDataString(externalId)}", view) : TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<ThingView>, ProblemHttpResult>> GetThing(
        string externalId, HttpContext http, ThingStore store, CancellationToken cancellationToken)
    {
        var request = SignedRequestFilter.Get(http);
        externalId = ExternalId(http, externalId);
        var thing = await store.FindAsync(request.Installation.Id, externalId, cancellationToken);
        return thing is null
            ? NoSuchThing(externalId)
            : TypedResults.Ok((await store.ViewsAsync([thing], cancellationToken))[0]);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteThing(
        string externalId, HttpContext http, ThingStore store, CancellationToken cancellationToken)
    {
        var request = SignedRequestFilter.Get(http);
        externalId = ExternalId(http, externalId);
        return await store.RetireAsync(request.Installation.Id, externalId, cancellationToken)
            ? TypedResults.NoContent()
            : NoSuchThing(externalId);
    }

    public static async Task<Results<Ok<ThingBatchResponse>, ProblemHttpResult, ValidationProblem>> BatchUpsert(
        HttpContext http, ThingStore store, HubMetrics metrics, CancellationToken cancellationToken)
    {
        var request = SignedRequestFilter.Get(http);
        if (!TryRead(request.Body, ProtocolJson.ThingBatchRequest, out var batch, out var problem))
        {
            return problem;
        }

        var items = batch?.Things;
        if (items is null || items.Count == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["things"] = ["At least one thing is required."] });
        }

        if (items.Count > ThingLimits.BatchSize)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["things"] = [$"At most {ThingLimits.BatchSize} things may be sent in one batch; got {items.Count}."] });
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var error in ThingValidation.Validate(items[i]?.ExternalId, items[i], $"things[{i}]."))
            {
                errors[error.Key] = error.Value;
            }

            if (items[i]?.ExternalId is { } id && !seen.Add(id))
            {
                errors[$"things[{i}].externalId"] = [$"The external id '{id}' appears more than once in the batch."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Some things in the batch are not valid; nothing was stored.");
        }

        var results = await UpsertWithRetryAsync(store, request.Installation.Id, [.. items.Select(i => (i.ExternalId!, (ThingUpsert)i))], cancellationToken);
        metrics.ThingsUpserted.Add(results.Count);
        var views = await store.ViewsAsync([.. results.Select(r => r.Thing)], cancellationToken);
        return TypedResults.Ok(new ThingBatchResponse
        {
            Things = [.. results.Select((r, i) => new ThingBatchResult { Created = r.Created, Thing = views[i] })],
        });
    }

    public static Ok<InstallationView> GetInstallation(HttpContext http)
    {
        var installation = SignedRequestFilter.Get(http).Installation;
        return TypedResults.Ok(new InstallationView { Id = installation.Id, Name = installation.Name, Url = installation.BaseUrl });
    }

    /// <summary>
    /// The external id exactly as the installation escaped it. Routing decodes every escape except %2F, so an id holding
    /// a slash or a literal "%2F" would come out wrong; the raw request target is decoded once instead.
    /// </summary>
    internal static string ExternalId(HttpContext http, string routeValue)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        const string prefix = "/api/v1/things/";
        if (raw is null || !raw.StartsWith(prefix, StringComparison.Ordinal))
        {
            return routeValue;
        }

        var segment = raw.AsSpan(prefix.Length);
        var end = segment.IndexOfAny('?', '/');
        return Uri.UnescapeDataString((end < 0 ? segment : segment[..end]).ToString());
    }

    private static ProblemHttpResult NoSuchThing(string externalId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such thing.", detail: $"This installation has no thing '{externalId}'.");

    private static async Task<IReadOnlyList<(bool Created, Thing Thing)>> UpsertWithRetryAsync(
        ThingStore store, string installationId, IReadOnlyList<(string, ThingUpsert)> items, CancellationToken cancellationToken)
    {
        try
        {
            return await store.UpsertAsync(installationId, items, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request created the same thing or creator at the same moment; the unique index refused the
            // second insert. Once more, the rows exist and this becomes an update.
            store.Reset();
            return await store.UpsertAsync(installationId, items, cancellationToken);
        }
    }

    private static bool TryRead<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, out T? value, out ProblemHttpResult problem)
    {
        problem = null!;
        try
        {
            value = JsonSerializer.Deserialize(body, typeInfo);
            if (value is null)
            {
                problem = TypedResults.Problem(statusCode: 400, title: "The body must be a JSON object.", detail: "The body was empty or null.");
                return false;
            }

            return true;
        }
        catch (JsonException e)
        {
            value = default;
            problem = TypedResults.Problem(
                statusCode: 400,
                title: "The body is not valid JSON for this request.",
                detail: e.Path is null ? e.Message : $"At {e.Path}: {e.Message}");
            return false;
        }
    }
}
