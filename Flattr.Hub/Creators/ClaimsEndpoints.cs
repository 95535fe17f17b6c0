using Flattr.Hub.Installations;
using Flattr.Protocol;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Flattr.Hub.Creators;

/// <summary>The installation protocol's claim API: signed, confined to the calling installation's own creators.</summary>
public static class ClaimsEndpoints
{
    private const string CreatorsPrefix = "/api/v1/creators/";

    public static RouteGroupBuilder MapClaimsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1").WithTags("Installations").AddEndpointFilter<SignedRequestFilter>();
        api.MapPost("/creators/{externalId}/claim-link", PostClaimLink)
            .WithName("CreateClaimLink").WithSummary("Issue a single-use link with which a person claims one of the installation's creators");
        return api;
    }

    public static async Task<Results<Ok<ClaimLink>, ProblemHttpResult>> PostClaimLink(
        string externalId, HttpContext http, CreatorClaims claims, CancellationToken cancellationToken)
    {
        var request = SignedRequestFilter.Get(http);
        externalId = ExternalId(http, externalId);
        var link = await claims.IssueAsync(request.Installation.Id, externalId, cancellationToken);
        return link is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "No such creator.", detail: $"This installation has no creator '{externalId}'.")
            : TypedResults.Ok(link);
    }

    /// <summary>
    /// The creator's external id exactly as the installation escaped it (see the things API): routing decodes every
    /// escape but %2F, so the raw request target's segment is decoded once instead.
    /// </summary>
    private static string ExternalId(HttpContext http, string routeValue)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is null || !raw.StartsWith(CreatorsPrefix, StringComparison.Ordinal))
        {
            return routeValue;
        }

        var segment = raw.AsSpan(CreatorsPrefix.Length);
        var end = segment.IndexOfAny('?', '/');
        return Uri.UnescapeDataString((end < 0 ? segment : segment[..end]).ToString());
    }
}
