using Microsoft.OpenApi;

namespace Flattr.Hub.Infrastructure.Http;

internal static class OpenApiServiceCollectionExtensions
{
    /// <summary>The OpenAPI document at <c>/openapi/v1.json</c>; a copy is committed (Flattr.Hub/Flattr.Hub.json) and a test keeps it current.</summary>
    public static IServiceCollection AddHubOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Flattr Hub",
                Version = "v1",
                Description =
                    "Installations (CMS sites) sign every /api/v1/things and /api/v1/creators request with headers Flattr-Installation, "
                    + "Flattr-Timestamp (unix seconds, within 300 s of the Hub's clock) and Flattr-Signature: v1=<lowercase hex "
                    + "HMAC-SHA256(key = UTF-8 secret, \"<timestamp>\\n<METHOD>\\n<path and query as sent>\\n<hex SHA-256 of body>\")>. "
                    + "Readers call /api/v1/flattrs with a personal API token as a bearer token. Errors are application/problem+json.",
            };
            // The document describes the API, not the host that happened to serve it, so it is the same everywhere.
            document.Servers?.Clear();
            return Task.CompletedTask;
        }));
}
