using System.Globalization;
using Flattr.Protocol;
using Microsoft.Extensions.Options;

namespace Flattr.HubClient;

/// <summary>
/// Signs every request to the Hub. It sits inside the resilience pipeline, so each retry is signed afresh with the
/// time it is actually sent and never goes stale.
/// </summary>
internal sealed class RequestSigningHandler(IOptionsMonitor<FlattrHubOptions> options, TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var target = request.RequestUri!.PathAndQuery;
        request.Headers.Remove(RequestSigning.InstallationHeader);
        request.Headers.Remove(RequestSigning.TimestampHeader);
        request.Headers.Remove(RequestSigning.SignatureHeader);
        request.Headers.Add(RequestSigning.InstallationHeader, settings.InstallationId);
        request.Headers.Add(RequestSigning.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(RequestSigning.SignatureHeader, RequestSigning.Sign(settings.Secret!, timestamp, request.Method.Method, target, body));
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
