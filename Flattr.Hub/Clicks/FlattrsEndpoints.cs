using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Clicks;

/// <summary>The body of <c>POST /api/v1/flattrs</c>.</summary>
public sealed record FlattrRequest
{
    /// <summary>The Hub's id of the thing to flattr (as a string, like every id in the API).</summary>
    public string? Thing { get; init; }
}

/// <summary>A reader's flattr of a thing in a period.</summary>
public sealed record FlattrView
{
    /// <summary>The Hub's thing id.</summary>
    public required string Thing { get; init; }

    /// <summary>The period the flattr counts in, <c>yyyy-MM</c>.</summary>
    public required string Period { get; init; }

    /// <summary>When the flattr of this period was recorded.</summary>
    public required DateTimeOffset ClickedAt { get; init; }

    /// <summary>True when this request recorded it; false when it was already there.</summary>
    public required bool Created { get; init; }
}

/// <summary>How often a thing was flattred.</summary>
public sealed record ThingCount
{
    /// <summary>The Hub's thing id.</summary>
    public required string Thing { get; init; }

    /// <summary>Flattrs in the current period.</summary>
    public required long ThisPeriod { get; init; }

    /// <summary>Flattrs since the thing was registered.</summary>
    public required long AllTime { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FlattrRequest))]
internal sealed partial class ClicksJson : JsonSerializerContext;

/// <summary>
/// The reader API: flattr with a personal API token, and public click counts. Tokens are checked by the
/// <c>ApiToken</c> authentication scheme (<see cref="ApiTokenAuthenticationHandler"/>); both endpoints are rate limited.
/// </summary>
public static class FlattrsEndpoints
{
    /// <summary>The largest request body <c>POST /api/v1/flattrs</c> reads.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapFlattrsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1").WithTags("Readers").WithMetadata(ReaderApiRateLimited.Instance);

        api.MapPost("/flattrs", PostFlattr)
            .RequireAuthorization(ApiTokenAuthenticationHandler.PolicyName)
            .WithMetadata(ApiTokenRecheckedByEndpoint.Instance)
            .Accepts<FlattrRequest>("application/json")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .WithName("PostFlattr").WithSummary("Flattr a thing as the token's reader, once per period");
        api.MapGet("/things/{hubId}/count", GetCount)
            .AllowAnonymous()
            .WithName("GetThingCount").WithSummary("How often a thing was flattred, this period and all time");
        return api;
    }

    public static async Task<Results<Created<FlattrView>, Ok<FlattrView>, ProblemHttpResult, ValidationProblem>> PostFlattr(
        HttpContext http, ClickRecorder recorder, CancellationToken cancellationToken)
    {
        var readerId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The endpoint is not behind the API token policy.");

        FlattrRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Request.Body, ClicksJson.Default.FlattrRequest, cancellationToken);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The body is not valid JSON for this request.",
                detail: (e.Path is null ? string.Empty : $"At {e.Path}: ") + "send {\"thing\":\"<Hub thing id>\"}.");
        }
        catch (BadHttpRequestException e)
        {
            return TypedResults.Problem(statusCode: e.StatusCode, title: "The request body could not be read.", detail: e.Message);
        }

        if (request is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body must be a JSON object.", detail: "Send {\"thing\":\"<Hub thing id>\"}.");
        }

        if (string.IsNullOrEmpty(request.Thing))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["thing"] = ["The Hub's thing id is required."] });
        }

        if (!TryParseId(request.Thing, out var thingId))
        {
            return NoSuchThing(request.Thing);
        }

        var tokenId = long.Parse(
            http.User.FindFirstValue(ApiTokenAuthenticationHandler.TokenIdClaim) ?? throw new InvalidOperationException("The API token principal has no token id."),
            CultureInfo.InvariantCulture);
        var result = await recorder.RecordAsync(readerId, thingId, "api", tokenId, cancellationToken);
        return result.Outcome switch
        {
            ClickOutcome.TokenRevoked => TokenRefused(http, ApiTokenAuthenticationHandler.RevokedDetail),
            ClickOutcome.AccountLocked => TokenRefused(http, ApiTokenAuthenticationHandler.LockedDetail),
            ClickOutcome.Created => TypedResults.Created((string?)null, View(result, created: true)),
            ClickOutcome.AlreadyFlattred => TypedResults.Ok(View(result, created: false)),
            ClickOutcome.OwnThing => TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden, title: "You cannot flattr your own thing.", detail: "The thing's creator is claimed by your account."),
            ClickOutcome.NoBudget => TypedResults.Problem(
                statusCode: StatusCodes.Status402PaymentRequired,
                title: "Set a monthly budget first.",
                detail: "A flattr shares your monthly budget; yours is not set. Set it under Settings."),
            _ => NoSuchThing(request.Thing),
        };
    }

    public static async Task<Results<Ok<ThingCount>, ProblemHttpResult>> GetCount(
        string hubId, HttpContext http, HubDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TryParseId(hubId, out var id) || !await db.Things.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return NoSuchThing(hubId);
        }

        var period = Click.PeriodKey(Period.Containing(time.GetUtcNow()));
        var thisPeriod = await db.Clicks.LongCountAsync(c => c.ThingId == id && c.Period == period, cancellationToken);
        var allTime = await db.Clicks.LongCountAsync(c => c.ThingId == id, cancellationToken);
        http.Response.Headers.CacheControl = "public, max-age=60";
        return TypedResults.Ok(new ThingCount { Thing = id.ToString(CultureInfo.InvariantCulture), ThisPeriod = thisPeriod, AllTime = allTime });
    }

    private static bool TryParseId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    private static FlattrView View(ClickResult result, bool created) => new()
    {
        Thing = result.ThingId.ToString(CultureInfo.InvariantCulture),
        Period = result.Period.ToString(),
        ClickedAt = result.ClickedAt ?? default,
        Created = created,
    };

    // The same answer the ApiToken scheme gives when it finds the token revoked or the account locked itself.
    private static ProblemHttpResult TokenRefused(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: ApiTokenAuthenticationHandler.ChallengeTitle, detail: detail);
    }

    private static ProblemHttpResult NoSuchThing(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such thing.", detail: $"There is no thing '{id}' that can be flattred.");
}
