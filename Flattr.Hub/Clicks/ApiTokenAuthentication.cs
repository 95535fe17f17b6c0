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
/// On an endpoint marked <see cref="ApiTokenRecheckedByEndpoint"/>, a token found valid within the last minute is taken
/// from <see cref="ApiTokenCache"/> without that look-up: such an endpoint checks the token again in the statement that
/// does its work, so a revocation or a lock still applies to the very next request, on every Hub process.
/// Endpoints opt in through the <see cref="PolicyName"/> authorization policy, so the cookie never authorizes API writes
/// (no cross-site request forgery through the API) and a token never signs a reader into the pages.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ClickPathQueries queries,
    ApiTokenCache cache,
    ClickWriter writer) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiToken";

    public const string PolicyName = "api-token";

    public const string TokenIdClaim = "flattr:api_token";

    /// <summary>The title of every 401 answer to an API token.</summary>
    public const string ChallengeTitle = "A valid personal API token is required.";

    /// <summary>The detail of a 401 to a revoked token.</summary>
    public const string RevokedDetail = "The personal API token has been revoked.";

    /// <summary>The detail of a 401 to a token of a locked account.</summary>
    public const string LockedDetail = "The account is locked.";

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
        var now = TimeProvider.GetUtcNow();
        if (Context.GetEndpoint()?.Metadata.GetMetadata<ApiTokenRecheckedByEndpoint>() is not null
            && cache.TryGet(hash, now, out var cachedId, out var cachedAccount))
        {
            return Success(cachedId, cachedAccount);
        }

        var found = await queries.FindTokenAsync(hash, Context.RequestAborted);
        if (found is null)
        {
            return Fail("unknown", "The personal API token is not valid.");
        }

        if (found.RevokedAt is not null)
        {
            return Fail("revoked", RevokedDetail);
        }

        if (found.LockoutEnd is { } lockoutEnd && lockoutEnd > now)
        {
            return Fail("locked-out", LockedDetail);
        }

        var lastUsed = found.LastUsedAt;
        var refresh = RefreshAfter(found.Id);
        if (lastUsed is not { } last || now - last >= refresh)
        {
            // With the next group of clicks, in the same commit: no write of its own on every API request.
            writer.TouchToken(found.Id, now);
            lastUsed = now;
        }

        // Until the use time should be recorded again: the next look-up after that does it.
        cache.Add(hash, found.Id, found.AccountId, lastUsed.Value + refresh);
        return Success(found.Id, found.AccountId);
    }

    private static AuthenticateResult Success(long tokenId, string accountId)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, accountId),
                new Claim(TokenIdClaim, tokenId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message ?? "Send 'Authorization: Bearer <personal API token>'; tokens are made under Settings → Tokens.";
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: ChallengeTitle, detail: detail)
            .ExecuteAsync(Context);
    }

    /// <summary>How stale a token's <c>LastUsedAt</c> may be: a reader's token list shows the time to this precision.</summary>
    public static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after its recorded use a token's use is recorded again: between half of <see cref="LastUsedPrecision"/>
    /// and all of it, fixed per token. The tokens of a burst of clicks were all recorded at about the same moment; one
    /// interval for all would bring every one of them back to a look-up and a write within the same few seconds a
    /// minute later (measured: a queue of 100-250 ms at 4,000 clicks/s), spread this way they come back over half a minute.
    /// </summary>
    internal static TimeSpan RefreshAfter(long tokenId)
    {
        // Fibonacci hashing of the id: consecutive ids land far apart in [0, 1).
        var spread = ((ulong)tokenId * 0x9E3779B97F4A7C15UL >> 11) / (double)(1UL << 53);
        return LastUsedPrecision * (0.5 + (spread / 2));
    }

    private AuthenticateResult Fail(string reason, string message)
    {
        Log.ApiTokenRejected(Logger, reason, Request.Path);
        return AuthenticateResult.Fail(message);
    }
}

/// <summary>
/// Marks an endpoint that checks its request's API token again itself, in the same statement as its own work (the
/// token still the reader's and not revoked, the account not locked). Only on such endpoints does the <c>ApiToken</c>
/// scheme answer from <see cref="ApiTokenCache"/>; everywhere else it looks the token up on every request.
/// </summary>
internal sealed class ApiTokenRecheckedByEndpoint
{
    public static readonly ApiTokenRecheckedByEndpoint Instance = new();
}

/// <summary>
/// API tokens the <c>ApiToken</c> scheme found valid, by SHA-256 (never the token itself), each until its recorded use
/// time would go stale (at most <see cref="ApiTokenAuthenticationHandler.LastUsedPrecision"/>). It saves the click path
/// one statement a request (docs/performance.md); it is never the last word on a token, see
/// <see cref="ApiTokenRecheckedByEndpoint"/>. At most <see cref="MaxEntries"/> tokens: when full, it starts again empty.
/// </summary>
internal sealed class ApiTokenCache
{
    /// <summary>The most tokens held.</summary>
    public const int MaxEntries = 100_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The token with SHA-256 <paramref name="hash"/> when it was found valid and its entry is still current at <paramref name="now"/>.</summary>
    public bool TryGet(string hash, DateTimeOffset now, out long tokenId, out string accountId)
    {
        if (_entries.TryGetValue(hash, out var entry) && now < entry.Until)
        {
            (tokenId, accountId) = (entry.TokenId, entry.AccountId);
            return true;
        }

        (tokenId, accountId) = (0, string.Empty);
        return false;
    }

    /// <summary>Holds a token found valid until <paramref name="until"/>.</summary>
    public void Add(string hash, long tokenId, string accountId, DateTimeOffset until)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[hash] = new Entry(tokenId, accountId, until);
    }

    private sealed record Entry(long TokenId, string AccountId, DateTimeOffset Until);
}
