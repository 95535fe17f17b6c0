namespace Flattr.Hub;

/// <summary>Log messages of flattring, button links, the reader API and creator claims. Event ids 200–299 belong here.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 200, EventName = "ClickRecorded", Level = LogLevel.Information,
        Message = "Reader {ReaderId} flattred thing {ThingId} for period {Period} via {Channel}")]
    public static partial void ClickRecorded(ILogger logger, string readerId, long thingId, int period, string channel);

    [LoggerMessage(EventId = 201, EventName = "ClickRepeated", Level = LogLevel.Debug,
        Message = "Reader {ReaderId} had already flattred thing {ThingId} in period {Period}")]
    public static partial void ClickRepeated(ILogger logger, string readerId, long thingId, int period);

    [LoggerMessage(EventId = 202, EventName = "ClickRaceResolved", Level = LogLevel.Debug,
        Message = "A concurrent flattr of thing {ThingId} by reader {ReaderId} won; the unique index refused the second insert")]
    public static partial void ClickRaceResolved(ILogger logger, string readerId, long thingId);

    [LoggerMessage(EventId = 203, EventName = "ClickRefused", Level = LogLevel.Debug,
        Message = "Refused a flattr of thing {ThingId} by reader {ReaderId}: {Outcome}")]
    public static partial void ClickRefused(ILogger logger, string readerId, long thingId, Clicks.ClickOutcome outcome);

    [LoggerMessage(EventId = 204, EventName = "ClickGroupFailed", Level = LogLevel.Warning,
        Message = "Writing a group of {Count} clicks failed; writing each on its own")]
    public static partial void ClickGroupFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 205, EventName = "TokenTouchFailed", Level = LogLevel.Warning,
        Message = "Could not record when API tokens were last used")]
    public static partial void TokenTouchFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 206, EventName = "ClickPathSessionFailed", Level = LogLevel.Warning,
        Message = "A read of the click path failed on a connection kept open between reads; repeating it once on a new connection")]
    public static partial void ClickPathSessionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 210, EventName = "FlattrLinkRefused", Level = LogLevel.Warning,
        Message = "Refused a button link for installation {InstallationId}: {Reason}")]
    public static partial void FlattrLinkRefused(ILogger logger, string? installationId, string reason);

    [LoggerMessage(EventId = 211, EventName = "ThingRegisteredFromLink", Level = LogLevel.Information,
        Message = "Registered thing {ExternalId} of installation {InstallationId} from its button link as {ThingId}")]
    public static partial void ThingRegisteredFromLink(ILogger logger, string installationId, string externalId, long thingId);

    [LoggerMessage(EventId = 220, EventName = "ApiTokenRejected", Level = LogLevel.Information,
        Message = "Rejected a personal API token ({Reason}) for {Path}")]
    public static partial void ApiTokenRejected(ILogger logger, string reason, PathString path);

    [LoggerMessage(EventId = 221, EventName = "RateLimited", Level = LogLevel.Information,
        Message = "Rate limited a request to {Path} from {RemoteIp}")]
    public static partial void RateLimited(ILogger logger, PathString path, System.Net.IPAddress? remoteIp);

    [LoggerMessage(EventId = 230, EventName = "ClaimLinkIssued", Level = LogLevel.Information,
        Message = "Issued a claim link for creator {CreatorExternalId} of installation {InstallationId}, valid until {ExpiresAt}")]
    public static partial void ClaimLinkIssued(ILogger logger, string installationId, string creatorExternalId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 231, EventName = "CreatorClaimed", Level = LogLevel.Information,
        Message = "Account {AccountId} claimed creator {CreatorId}")]
    public static partial void CreatorClaimed(ILogger logger, string accountId, long creatorId);

    [LoggerMessage(EventId = 232, EventName = "ClaimRefused", Level = LogLevel.Information,
        Message = "Refused a creator claim by account {AccountId}: {Reason}")]
    public static partial void ClaimRefused(ILogger logger, string? accountId, Creators.ClaimStatus reason);
}
