using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Infrastructure.Telemetry;
using Flattr.Protocol;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Installations;

/// <summary>A request that an installation signed and the Hub verified, with the body bytes the signature covers.</summary>
public sealed record VerifiedInstallationRequest(Installation Installation, byte[] Body);

/// <summary>
/// Verifies the v1 signature on every installation request before the endpoint runs. Unknown or disabled installations,
/// missing, malformed, stale or wrong signatures get 401 problem details and nothing is read further or stored.
/// </summary>
internal sealed class SignedRequestFilter(
    HubDbContext db,
    InstallationSecrets secrets,
    TimeProvider time,
    HubMetrics metrics,
    ILogger<SignedRequestFilter> logger) : IEndpointFilter
{
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    private const string ItemKey = "flattr.installation-request";

    public static VerifiedInstallationRequest Get(HttpContext context) =>
        (VerifiedInstallationRequest?)context.Items[ItemKey]
        ?? throw new InvalidOperationException("The endpoint is not behind the signed-request filter.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var installationId = http.Request.Headers[RequestSigning.InstallationHeader].ToString();
        if (string.IsNullOrEmpty(installationId))
        {
            return Refuse(http, "missing-installation", "The Flattr-Installation header is missing.");
        }

        var installation = await db.Installations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == installationId, http.RequestAborted);
        if (installation is null || installation.DisabledAt is not null)
        {
            // The same answer for unknown and disabled ids, so ids cannot be probed.
            return Refuse(http, "unknown-installation", "The installation is unknown or disabled.");
        }

        var body = await ReadBodyAsync(http);
        if (body is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The request body is too large.",
                detail: $"Installation requests may carry at most {MaxBodyBytes} bytes.");
        }

        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (http.Request.Path + http.Request.QueryString).ToString();
        var check = RequestSigning.Verify(
            secrets.Unprotect(installation),
            http.Request.Headers[RequestSigning.TimestampHeader].ToString(),
            http.Request.Headers[RequestSigning.SignatureHeader].ToString(),
            http.Request.Method,
            target,
            body,
            time.GetUtcNow());
        if (check != SignatureCheck.Valid)
        {
            return Refuse(http, check.ToString().ToLowerInvariant(), check switch
            {
                SignatureCheck.Missing => "The Flattr-Timestamp or Flattr-Signature header is missing.",
                SignatureCheck.Malformed => "The Flattr-Timestamp or Flattr-Signature header is malformed.",
                SignatureCheck.Stale => "The request timestamp is more than 300 seconds from the Hub's clock. Check the site's clock.",
                _ => "The signature does not match the request. Check the installation secret.",
            });
        }

        http.Items[ItemKey] = new VerifiedInstallationRequest(installation, body);
        return await next(invocation);
    }

    private ProblemHttpResult Refuse(HttpContext http, string reason, string detail)
    {
        metrics.SignatureFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));
        Log.SignedRequestRefused(logger, http.Request.Headers[RequestSigning.InstallationHeader].ToString(), reason, http.Request.Path);
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The request is not signed by a known installation.", detail: detail);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
