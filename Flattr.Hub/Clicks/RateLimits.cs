using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Clicks;

/// <summary>Limits on the reader API: the <c>Hub:RateLimits</c> configuration section.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Hub:RateLimits";

    /// <summary>Requests one reader (the token's owner) may make per window, whatever the number of tokens or addresses.</summary>
    /// <value>The default value is 60.</value>
    [Range(1, 1_000_000)]
    public int PerReader { get; set; } = 60;

    /// <summary>Requests one client IP address may make per window, whatever the number of readers behind it.</summary>
    /// <value>The default value is 300.</value>
    [Range(1, 1_000_000)]
    public int PerIp { get; set; } = 300;

    /// <summary>The length of a fixed window.</summary>
    /// <value>The default value is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Hub:RateLimits:Window must be between 1 second and 1 day.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Marks an endpoint as limited by the reader API's limits: per client IP, and per reader when one is authenticated.</summary>
internal sealed class ReaderApiRateLimited
{
    public static readonly ReaderApiRateLimited Instance = new();
}

/// <summary>
/// The reader API's rate limits on the built-in rate limiter: two fixed-window limiters in a row, one partitioned by
/// client IP and one by reader (see <see cref="ReaderApiLimiter"/>), applied only to endpoints carrying <see cref="ReaderApiRateLimited"/>. They sit in the
/// global limiter, composed with any other global limiter, because one endpoint can name only one policy and a policy
/// has only one partition key. The middleware runs after authorization, which is what sets the <c>ApiToken</c>
/// principal for endpoints whose policy names that scheme; unauthenticated calls are answered 401 before they count.
/// The client IP is the connection's: behind a reverse proxy, configure forwarded headers so it is the reader's.
/// </summary>
internal static class RateLimits
{
    public static IServiceCollection AddReaderApiRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().PostConfigure<IOptions<RateLimitOptions>>((options, limits) =>
        {
            var value = limits.Value;
            var ours = new ReaderApiLimiter(
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsLimited(http)
                    ? RateLimitPartition.GetFixedWindowLimiter("ip:" + ClientIp(http), _ => Window(value.PerIp, value.Window))
                    : RateLimitPartition.GetNoLimiter(string.Empty)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsLimited(http) && ReaderId(http) is { } reader
                    ? RateLimitPartition.GetFixedWindowLimiter("reader:" + reader, _ => Window(value.PerReader, value.Window))
                    : RateLimitPartition.GetNoLimiter(string.Empty)));
            options.GlobalLimiter = options.GlobalLimiter is null ? ours : PartitionedRateLimiter.CreateChained(options.GlobalLimiter, ours);

            var previous = options.OnRejected;
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (!IsLimited(context.HttpContext))
                {
                    if (previous is not null)
                    {
                        await previous(context, cancellationToken);
                    }

                    return;
                }

                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : value.Window;
                var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
                var http = context.HttpContext;
                var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits));
                Log.RateLimited(logger, http.Request.Path, http.Connection.RemoteIpAddress);
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(
                        statusCode: StatusCodes.Status429TooManyRequests,
                        title: "Too many requests.",
                        detail: $"Slow down: try again in {seconds} seconds.")
                    .ExecuteAsync(http);
            };
        });
        return services;
    }

    private static bool IsLimited(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<ReaderApiRateLimited>() is not null;

    private static string ClientIp(HttpContext http) => (http.Connection.RemoteIpAddress ?? IPAddress.None).ToString();

    private static string? ReaderId(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, AuthenticationType: ApiTokenAuthenticationHandler.SchemeName }
            ? http.User.FindFirstValue(ClaimTypes.NameIdentifier)
            : null;

    /// <summary>
    /// The per-IP limiter, then the per-reader one. Not <see cref="PartitionedRateLimiter.CreateChained{TResource}"/>:
    /// the middleware retries every refused request through <c>AcquireAsync</c> (its queueing path), and a chained
    /// limiter would then take a second permit from each limiter that had already granted one, so a request refused
    /// per reader would cost the address two. With no queues, <see cref="AcquireAsyncCore"/> only looks (zero permits)
    /// to hand back the refusal with its Retry-After, and takes permits only if a window has turned over since.
    /// </summary>
    private sealed class ReaderApiLimiter(PartitionedRateLimiter<HttpContext> perIp, PartitionedRateLimiter<HttpContext> perReader)
        : PartitionedRateLimiter<HttpContext>
    {
        public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

        protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
        {
            var ip = perIp.AttemptAcquire(resource, permitCount);
            if (!ip.IsAcquired)
            {
                return ip;
            }

            var reader = perReader.AttemptAcquire(resource, permitCount);
            if (!reader.IsAcquired)
            {
                ip.Dispose();
                return reader;
            }

            return new BothLease(ip, reader);
        }

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
        {
            var ip = perIp.AttemptAcquire(resource, 0);
            if (!ip.IsAcquired)
            {
                return ValueTask.FromResult(ip);
            }

            var reader = perReader.AttemptAcquire(resource, 0);
            if (!reader.IsAcquired)
            {
                return ValueTask.FromResult(reader);
            }

            return ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                perIp.Dispose();
                perReader.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class BothLease(RateLimitLease first, RateLimitLease second) : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                first.Dispose();
                second.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };
}
