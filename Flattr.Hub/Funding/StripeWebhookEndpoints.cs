using System.Text;
using Flattr.Hub.Payouts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Stripe;

namespace Flattr.Hub.Funding;

/// <summary>The answer to a webhook delivery Stripe accepted: what the Hub did with the event.</summary>
public sealed record StripeWebhookReceipt
{
    /// <summary>Stripe's event id (<c>evt_…</c>).</summary>
    public required string Event { get; init; }

    /// <summary>The event type, such as <c>checkout.session.completed</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>Booked</c>, <c>AlreadyBooked</c>, <c>Updated</c> or <c>Ignored</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>Why, in a sentence.</summary>
    public required string Detail { get; init; }
}

/// <summary>
/// Stripe's webhook endpoints: <c>POST /stripe/webhook</c> (platform events: checkouts, refunds, disputes) and
/// <c>POST /stripe/connect-webhook</c> (connected accounts). Each verifies the <c>Stripe-Signature</c> header with its
/// own signing secret and a 300-second tolerance, and refuses events from the other mode (live vs test) than the
/// secret key's. A refused delivery answers 400 and stores nothing; Stripe retries it for up to three days.
/// </summary>
public static class StripeWebhookEndpoints
{
    /// <summary>The largest event body read; Stripe's events are a few kilobytes.</summary>
    public const int MaxBodyBytes = 512 * 1024;

    /// <summary>Seconds a signature's timestamp may be away from the Hub's clock (Stripe's own default).</summary>
    public const long ToleranceSeconds = 300;

    public static RouteGroupBuilder MapStripeWebhooks(this IEndpointRouteBuilder routes)
    {
        var stripe = routes.MapGroup("/stripe").WithTags("Stripe").AllowAnonymous().WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        stripe.MapPost("/webhook", PostPlatformEvent)
            .Accepts<object>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("PostStripeWebhook")
            .WithSummary("Stripe platform events: checkout.session.completed credits funds; refunds and disputes reverse them");
        stripe.MapPost("/connect-webhook", PostConnectEvent)
            .Accepts<object>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("PostStripeConnectWebhook")
            .WithSummary("Stripe Connect events: account.updated refreshes a creator's payout status");
        return stripe;
    }

    public static async Task<Results<Ok<StripeWebhookReceipt>, ProblemHttpResult>> PostPlatformEvent(
        HttpRequest request, StripeFunding funding, IOptions<StripeOptions> options, TimeProvider time, ILogger<StripeFunding> logger, CancellationToken cancellationToken)
    {
        var (stripeEvent, problem) = await VerifyAsync(request, options.Value, options.Value.WebhookSecret, "platform", time, logger, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok(Receipt(stripeEvent!, await funding.HandlePlatformEventAsync(stripeEvent!, cancellationToken)));
    }

    public static async Task<Results<Ok<StripeWebhookReceipt>, ProblemHttpResult>> PostConnectEvent(
        HttpRequest request, StripeFunding funding, IOptions<StripeOptions> options, TimeProvider time, ILogger<StripeFunding> logger, CancellationToken cancellationToken)
    {
        var (stripeEvent, problem) = await VerifyAsync(request, options.Value, options.Value.ConnectWebhookSecret, "connect", time, logger, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok(Receipt(stripeEvent!, await funding.HandleConnectEventAsync(stripeEvent!, cancellationToken)));
    }

    /// <summary>True when the key is a live-mode key (<c>sk_live_…</c>, or a restricted <c>rk_live_…</c>).</summary>
    public static bool IsLiveKey(string? secretKey) =>
        secretKey is not null && (secretKey.StartsWith("sk_live_", StringComparison.Ordinal) || secretKey.StartsWith("rk_live_", StringComparison.Ordinal));

    private static async Task<(Event? Event, ProblemHttpResult? Problem)> VerifyAsync(
        HttpRequest request, StripeOptions options, string? secret, string endpoint, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        if (!options.Enabled || string.IsNullOrWhiteSpace(secret))
        {
            Log.StripeWebhookRefused(logger, endpoint, "not configured");
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Stripe webhooks are not configured on this Hub.",
                detail: $"Set Hub:Stripe:SecretKey and the {endpoint} endpoint's signing secret to receive Stripe events."));
        }

        string json;
        try
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            json = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (BadHttpRequestException e)
        {
            Log.StripeWebhookRefused(logger, endpoint, "unreadable body");
            return (null, TypedResults.Problem(statusCode: e.StatusCode, title: "The request body could not be read.", detail: e.Message));
        }

        var signature = request.Headers["Stripe-Signature"].ToString();
        if (signature.Length == 0)
        {
            Log.StripeWebhookRefused(logger, endpoint, "no signature");
            return (null, BadRequest("The Stripe-Signature header is missing.", "Only Stripe's signed deliveries are accepted."));
        }

        Event stripeEvent;
        try
        {
            // The Hub's clock, not the machine's, judges the timestamp: the same clock as everything else (and tests).
            stripeEvent = EventUtility.ConstructEvent(json, signature, secret, ToleranceSeconds, time.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: true);
        }
        catch (StripeException e)
        {
            // A wrong secret, a changed body, a timestamp outside the tolerance, or an API version Stripe.net cannot read.
            Log.StripeWebhookRefused(logger, endpoint, e.Message);
            return (null, BadRequest("The Stripe signature could not be verified.", e.Message));
        }
        catch (Newtonsoft.Json.JsonException e)
        {
            Log.StripeWebhookRefused(logger, endpoint, "not an event");
            return (null, BadRequest("The body is not a Stripe event.", e.Message));
        }

        var live = IsLiveKey(options.SecretKey);
        if (stripeEvent.Livemode != live)
        {
            Log.StripeWebhookRefused(logger, endpoint, $"livemode {stripeEvent.Livemode} with a {(live ? "live" : "test")} key");
            return (null, BadRequest(
                $"The event is from {(stripeEvent.Livemode ? "live" : "test")} mode, but this Hub uses a {(live ? "live" : "test")} key.",
                "Point this endpoint at the Stripe mode whose secret key the Hub has."));
        }

        return (stripeEvent, null);
    }

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);

    private static StripeWebhookReceipt Receipt(Event stripeEvent, WebhookResult result) =>
        new() { Event = stripeEvent.Id, Type = stripeEvent.Type, Outcome = result.Outcome.ToString(), Detail = result.Detail };
}
