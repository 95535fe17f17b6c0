using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Flattr.Protocol;
using Flattr.Things;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Flattr.Core.Tests.HubClient;

/// <summary>One request as the fake Hub received it, with the outcome of checking its signature.</summary>
public sealed record ReceivedRequest(
    string Method,
    string RawTarget,
    byte[] Body,
    string? Installation,
    string? Timestamp,
    string? Signature,
    string? UserAgent,
    SignatureCheck Check);

/// <summary>
/// A real Kestrel server on loopback that plays the Hub: it implements the endpoints <c>FlattrHubClient</c> calls,
/// keeps things in memory, and checks every request's signature against the raw request target and body bytes before
/// anything else, answering 401 problem+json when it does not verify. Tests can queue scripted answers (a status, or a
/// hang) for the next validly signed requests.
/// </summary>
public sealed class FakeHub : IAsyncDisposable
{
    public const string InstallationId = "inst-test";
    public const string Secret = "hub-test-secret-\u2615-do-not-log";

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private readonly ConcurrentDictionary<string, ThingView> _things = new(StringComparer.Ordinal);

    private FakeHub(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    /// <summary>The address the Hub listens on, including its path base, with a trailing slash.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>The things the Hub holds, by decoded external id.</summary>
    public IReadOnlyDictionary<string, ThingView> Things => _things;

    public static async Task<FakeHub> StartAsync(string pathBase = "", TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var hub = new FakeHub(app, clock ?? TimeProvider.System);

        if (pathBase.Length > 0)
        {
            app.UsePathBase(pathBase);
        }

        app.Use(hub.CheckSignatureAsync);
        app.UseRouting();
        hub.MapEndpoints(app);

        await app.StartAsync(TestContext.Current.CancellationToken);
        hub.BaseAddress = new Uri(app.Urls.Single() + pathBase + "/");
        return hub;
    }

    /// <summary>Answers the next validly signed request with <paramref name="status"/> (and an optional problem).</summary>
    public void RespondNextWith(int status, string? title = null)
    {
        _script.Enqueue(context => Results.Problem(statusCode: status, title: title ?? $"Scripted {status}").ExecuteAsync(context));
    }

    /// <summary>
    /// Holds the next validly signed request open without answering, until the client gives up (the request is aborted)
    /// or one second has passed; then answers 503. One second is far beyond the attempt timeouts the tests use.
    /// </summary>
    public void HangNext()
    {
        _script.Enqueue(async context =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        });
    }

    /// <summary>Runs <paramref name="action"/> when the next validly signed request arrives, then answers it with <paramref name="status"/>.</summary>
    public void OnNext(Action action, int status)
    {
        _script.Enqueue(context =>
        {
            action();
            return Results.Problem(statusCode: status).ExecuteAsync(context);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static string Decode(string rawSegment) => Uri.UnescapeDataString(rawSegment);

    /// <summary>The raw (still percent-encoded) path segment <paramref name="fromEnd"/> places from the end of the target.</summary>
    private static string RawSegment(HttpContext context, int fromEnd)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var path = raw.Split('?', 2)[0];
        var segments = path.Split('/');
        return segments[^(fromEnd + 1)];
    }

    private async Task CheckSignatureAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var timestamp = request.Headers[RequestSigning.TimestampHeader].ToString();
        var signature = request.Headers[RequestSigning.SignatureHeader].ToString();
        var installation = request.Headers[RequestSigning.InstallationHeader].ToString();
        var check = RequestSigning.Verify(
            Secret, NullIfEmpty(timestamp), NullIfEmpty(signature), request.Method, rawTarget, body, _clock.GetUtcNow());

        _requests.Enqueue(new ReceivedRequest(
            request.Method,
            rawTarget,
            body,
            NullIfEmpty(installation),
            NullIfEmpty(timestamp),
            NullIfEmpty(signature),
            NullIfEmpty(request.Headers.UserAgent.ToString()),
            check));

        if (check != SignatureCheck.Valid || installation != InstallationId)
        {
            await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "The request is not signed by a known installation.",
                detail: $"Signature check: {check}.").ExecuteAsync(context);
            return;
        }

        context.Items[typeof(FakeHub)] = body;
        if (_script.TryDequeue(out var scripted))
        {
            await scripted(context);
            return;
        }

        await next();
    }

    private void MapEndpoints(WebApplication app)
    {
        app.MapPut("/api/v1/things/{id}", (HttpContext context) =>
        {
            var id = Decode(RawSegment(context, 0));
            var upsert = JsonSerializer.Deserialize<ThingUpsert>((byte[])context.Items[typeof(FakeHub)]!, ProtocolJson.Options);
            var errors = ThingValidation.Validate(id, upsert);
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors, detail: "The thing is not valid.");
            }

            var created = !_things.ContainsKey(id);
            var view = ToView(id, upsert!);
            _things[id] = view;
            return Results.Json(view, ProtocolJson.Options, statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        });

        app.MapGet("/api/v1/things/{id}", (HttpContext context) =>
            _things.TryGetValue(Decode(RawSegment(context, 0)), out var view)
                ? Results.Json(view, ProtocolJson.Options)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such thing."));

        app.MapDelete("/api/v1/things/{id}", (HttpContext context) =>
            _things.TryRemove(Decode(RawSegment(context, 0)), out _)
                ? Results.NoContent()
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such thing."));

        app.MapPost("/api/v1/things:batch", (HttpContext context) =>
        {
            var batch = JsonSerializer.Deserialize<ThingBatchRequest>((byte[])context.Items[typeof(FakeHub)]!, ProtocolJson.Options)!;
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            for (var i = 0; i < batch.Things!.Count; i++)
            {
                foreach (var (key, messages) in ThingValidation.Validate(batch.Things[i].ExternalId, batch.Things[i], $"things[{i}]."))
                {
                    errors[key] = messages;
                }
            }

            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors);
            }

            var results = batch.Things.Select(item =>
            {
                var created = !_things.ContainsKey(item.ExternalId!);
                var view = ToView(item.ExternalId!, item);
                _things[item.ExternalId!] = view;
                return new ThingBatchResult { Created = created, Thing = view };
            }).ToArray();
            return Results.Json(new ThingBatchResponse { Things = results }, ProtocolJson.Options);
        });

        app.MapPost("/api/v1/creators/{id}/claim-link", (HttpContext context) =>
        {
            var creator = Decode(RawSegment(context, 1));
            return Results.Json(
                new ClaimLink
                {
                    Url = $"{BaseAddress}claim/{Uri.EscapeDataString(creator)}?token=abc",
                    ExpiresAt = _clock.GetUtcNow().AddDays(7),
                },
                ProtocolJson.Options);
        });

        app.MapGet("/api/v1/installation", () => Results.Json(
            new InstallationView { Id = InstallationId, Name = "Test blog", Url = "https://blog.example/" },
            ProtocolJson.Options));
    }

    private ThingView ToView(string externalId, ThingUpsert upsert)
    {
        var thing = ThingValidation.ToThing(InstallationId, externalId, upsert);
        return new ThingView
        {
            Id = "t-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(externalId)))[..12],
            ExternalId = thing.ExternalId,
            Url = thing.Url.AbsoluteUri,
            Title = thing.Title,
            Description = thing.Description,
            Category = thing.Category.ToWireName(),
            Language = thing.Language,
            Tags = thing.Tags,
            Hidden = thing.Hidden,
            Retired = false,
            Creator = new CreatorView { ExternalId = thing.Creator.ExternalId, Name = thing.Creator.Name, Claimed = false },
            FlattrUrl = $"{BaseAddress}things/{Uri.EscapeDataString(externalId)}",
            Clicks = new ClickCounts { ThisPeriod = 3, AllTime = 42 },
            UpdatedAt = _clock.GetUtcNow(),
        };
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
