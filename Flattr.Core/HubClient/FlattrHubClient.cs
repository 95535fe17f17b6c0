using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Flattr.Protocol;

namespace Flattr.HubClient;

/// <summary>
/// The typed client an installation uses to talk to its Hub. Requests are signed, retried with jitter on transient
/// failures, time-limited, and stopped by a circuit breaker while the Hub is down; register it with
/// <see cref="Microsoft.Extensions.DependencyInjection.FlattrHubServiceCollectionExtensions.AddFlattrHubClient"/>.
/// </summary>
public sealed class FlattrHubClient(HttpClient httpClient)
{
    private const string ThingsPath = "api/v1/things/";

    /// <summary>Creates or updates a thing. Returns whether it was created, and the thing as the Hub now holds it.</summary>
    public async Task<ThingUpsertResult> UpsertThingAsync(string externalId, ThingUpsert thing, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, ThingsPath + Escape(externalId)) { Content = Json(thing, ProtocolJsonContext.Default.ThingUpsert) };
        using var response = await httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var view = await ReadAsync(response, ProtocolJsonContext.Default.ThingView, cancellationToken).ConfigureAwait(false);
        return new ThingUpsertResult(response.StatusCode == HttpStatusCode.Created, view);
    }

    /// <summary>Creates or updates up to 500 things in one request, all or nothing.</summary>
    public async Task<ThingBatchResponse> UpsertThingsAsync(IReadOnlyList<ThingBatchItem> things, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/things:batch") { Content = Json(new ThingBatchRequest { Things = things }, ProtocolJsonContext.Default.ThingBatchRequest) };
        using var response = await httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, ProtocolJsonContext.Default.ThingBatchResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the thing, or null when the Hub does not know it.</summary>
    public async Task<ThingView?> GetThingAsync(string externalId, CancellationToken cancellationToken = default)
    {
        using var response = await httpClient.GetAsync(ThingsPath + Escape(externalId), cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(response, ProtocolJsonContext.Default.ThingView, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Retires a thing (its history stays). Returns false when the Hub never knew it, which needs no retry.</summary>
    public async Task<bool> RetireThingAsync(string externalId, CancellationToken cancellationToken = default)
    {
        using var response = await httpClient.DeleteAsync(ThingsPath + Escape(externalId), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Asks the Hub for a single-use link with which a person claims the creator.</summary>
    public async Task<ClaimLink> RequestClaimLinkAsync(string creatorExternalId, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/creators/{Escape(creatorExternalId)}/claim-link");
        using var response = await httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, ProtocolJsonContext.Default.ClaimLink, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns what the Hub knows of this installation; succeeds only when the id and secret are right.</summary>
    public async Task<InstallationView> GetInstallationAsync(CancellationToken cancellationToken = default)
    {
        using var response = await httpClient.GetAsync("api/v1/installation", cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, ProtocolJsonContext.Default.InstallationView, cancellationToken).ConfigureAwait(false);
    }

    private static string Escape(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Uri.EscapeDataString(id);
    }

    private static ByteArrayContent Json<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        // Bytes, not a stream: the signing handler and every retry read the body again.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false)
                ?? throw new FlattrHubException(response.StatusCode, null, "The Hub answered with an empty body.");
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ProblemDocument? problem = null;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            problem = text.Length == 0 ? null : JsonSerializer.Deserialize(text, ProtocolJsonContext.Default.ProblemDocument);
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's error page, say); the status code still says what happened.
        }

        var detail = problem?.Detail ?? problem?.Title ?? response.ReasonPhrase ?? "no details";
        throw new FlattrHubException(response.StatusCode, problem, $"The Hub answered {(int)response.StatusCode}: {detail}");
    }
}

/// <summary>The result of an upsert.</summary>
/// <param name="Created">True when the Hub created the thing, false when it updated it.</param>
/// <param name="Thing">The thing as the Hub now holds it.</param>
public sealed record ThingUpsertResult(bool Created, ThingView Thing);

/// <summary>The Hub refused a request, or answered with something the client could not read.</summary>
public sealed class FlattrHubException : Exception
{
    /// <summary>Creates the exception for a response.</summary>
    public FlattrHubException(HttpStatusCode statusCode, ProblemDocument? problem, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Problem = problem;
    }

    /// <summary>Creates the exception with a message.</summary>
    public FlattrHubException()
        : base("The Hub refused the request.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public FlattrHubException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public FlattrHubException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The Hub's status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem details the Hub sent, if any.</summary>
    public ProblemDocument? Problem { get; }

    /// <summary>True for a refusal that retrying the same request will not change (a 4xx other than 408 and 429).</summary>
    public bool IsPermanent => (int)StatusCode is >= 400 and < 500 and not 408 and not 429;
}
