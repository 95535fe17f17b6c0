using System.Security.Claims;
using System.Text.Encodings.Web;
using Flattr.Hub.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Clicks;

/// <summary>
/// The <c>ApiToken</c> authentication scheme: <c>Authorization: Bearer fh_…</c> with a reader's personal API token.
/// Only the token's SHA-256 is stored, so a request costs one indexed look-up. Revoked tokens, tokens of locked-out
/// accounts and malformed headers fail; a missing header is no result, and the challenge answers 401 problem+json.
/// Endpoints opt in through the <see cref="PolicyName"/> authorization policy, so the cookie never authorizes API writes
/// (no cross-site request forgery through the API) and a token never signs a reader into the pages.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ClickPathQueries queries,
    ClickWriter writer) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiToken";

    public const string PolicyName = "api-token";

    public const string TokenIdClaim = "flattr:api_token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return Fail("not-bearer", "The Authorization header must be 'Bearer <personal API token>'.");
        }

        var token = header[bearer.Length..].Trim();
        if (!token.StartsWith(ApiTokens.TokenPrefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return Fail("malformed", "The bearer token is not a personal API token.");
        }

        var hash = ApiTokens.Hash(token);
        var found = await queries.FindTokenAsync(hash, Context.RequestAborted);
        var now = TimeProvider.GetUtcNow();
        if (found is null)
        {
            return Fail("unknown", "The personal API token is not valid.");
        }

        if (found.RevokedAt is not null)
        {
            return Fail("revoked", "The personal API token has been revoked.");
        }

        if (found.LockoutEnd is { } lockoutEnd && lockoutEnd > now)
        {
            return Fail("locked-out", "The account is locked.");
        }

        if (found.LastUsedAt is not { } last || now - last >= LastUsedPrecision)
        {
            // With the next group of clicks, in the same commit: no write of its own on every API request.
            writer.TouchToken(found.Id, now);
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, found.AccountId),
                new Claim(TokenIdClaim, found.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message ?? "Send 'Authorization: Bearer <personal API token>'; tokens are made under Settings → Tokens.";
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid personal API token is required.", detail: detail)
            .ExecuteAsync(Context);
    }

    /// <summary>How stale a token's <c>LastUsedAt</c> may be: a reader's token list shows the time to this precision.</summary>
    public static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    private AuthenticateResult Fail(string reason, string message)
    {
        Log.ApiTokenRejected(Logger, reason, Request.Path);
        return AuthenticateResult.Fail(message);
    }
}
