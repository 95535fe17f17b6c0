using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;

namespace Flattr.Umbraco.Tests.Infrastructure;

/// <summary>How the stubbed Hub answers.</summary>
public enum HubBehaviour
{
    /// <summary>Connection refused: the Hub is down.</summary>
    Down,

    /// <summary>Never answers until the request is cancelled (by the resilience pipeline's timeout).</summary>
    Hang,

    /// <summary>Answers 503 with problem details.</summary>
    ServerError,

    /// <summary>Answers like a healthy Hub.</summary>
    Healthy,
}

/// <summary>
/// The innermost HTTP handler of the module's real Hub client (inside the real signing handler and resilience pipeline):
/// plays a Hub that is down, hangs, fails with 5xx or works, and records every request.
/// </summary>
public sealed class StubHubHandler : HttpMessageHandler
{
    private readonly Channel<HttpRequestMessage> _arrivals = Channel.CreateUnbounded<HttpRequestMessage>();

    public HubBehaviour Behaviour { get; set; } = HubBehaviour.Healthy;

    public ConcurrentQueue<(HttpMethod Method, string Path, string? Body)> Requests { get; } = new();

    /// <summary>Completes when the next request reaches the stub.</summary>
    public async Task<HttpRequestMessage> NextArrivalAsync(CancellationToken cancellationToken) => await _arrivals.Reader.ReadAsync(cancellationToken);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue((request.Method, request.RequestUri!.AbsolutePath, body));
        _arrivals.Writer.TryWrite(request);
        switch (Behaviour)
        {
            case HubBehaviour.Down:
                throw new HttpRequestException("Connection refused (simulated).", null, HttpStatusCode.ServiceUnavailable);
            case HubBehaviour.Hang:
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                throw new InvalidOperationException("unreachable");
            case HubBehaviour.ServerError:
                return Json(HttpStatusCode.ServiceUnavailable, """{"title":"Hub overloaded (simulated)","status":503}""");
            default:
                return Healthy(request, body);
        }
    }

    private static HttpResponseMessage Healthy(HttpRequestMessage request, string? body)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Post && path.EndsWith("things:batch", StringComparison.Ordinal))
        {
            // One result per item, enough for the client to read; the module does not use the views.
            var count = body!.Split("\"externalId\"").Length - 1;
            var results = string.Join(",", Enumerable.Range(0, count).Select(_ => "{\"created\":true,\"thing\":" + View("x") + "}"));
            return Json(HttpStatusCode.OK, "{\"things\":[" + results + "]}");
        }

        if (request.Method == HttpMethod.Delete)
        {
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }

        if (request.Method == HttpMethod.Get && path.Contains("/things/", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.OK, View(Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..])));
        }

        if (request.Method == HttpMethod.Get && path.EndsWith("installation", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.OK, """{"id":"inst-1","name":"Test blog","url":"https://blog.example/"}""");
        }

        if (request.Method == HttpMethod.Post && path.EndsWith("claim-link", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.OK, """{"url":"https://hub.example/claim/abc","expiresAt":"2026-11-01T00:00:00+00:00"}""");
        }

        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private static string View(string externalId) =>
        "{\"id\":\"t1\",\"externalId\":\"" + externalId + "\",\"url\":\"https://blog.example/a\",\"title\":\"A\",\"category\":\"text\","
        + "\"tags\":[],\"hidden\":false,\"retired\":false,\"creator\":{\"externalId\":\"c\",\"claimed\":false},"
        + "\"flattrUrl\":\"https://hub.example/things/t1\",\"clicks\":{\"thisPeriod\":3,\"allTime\":42},\"updatedAt\":\"2026-10-01T00:00:00+00:00\"}";

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, status == HttpStatusCode.OK ? "application/json" : "application/problem+json") };
}
