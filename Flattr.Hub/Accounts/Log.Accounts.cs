namespace Flattr.Hub;

/// <summary>Log messages of accounts, mail and the admin pages: event ids 100–199. Emails and names are never logged, only account ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, EventName = "AccountCreated", Level = LogLevel.Information,
        Message = "Created account {AccountId} ({Source})")]
    public static partial void AccountCreated(ILogger logger, string accountId, string source);

    [LoggerMessage(EventId = 101, EventName = "SignedIn", Level = LogLevel.Information,
        Message = "Account {AccountId} signed in")]
    public static partial void SignedIn(ILogger logger, string accountId);

    [LoggerMessage(EventId = 102, EventName = "SignInFailed", Level = LogLevel.Information,
        Message = "A sign-in failed ({Reason})")]
    public static partial void SignInFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 103, EventName = "AccountLockedOut", Level = LogLevel.Warning,
        Message = "Account {AccountId} is locked out; a sign-in was refused")]
    public static partial void AccountLockedOut(ILogger logger, string accountId);

    [LoggerMessage(EventId = 104, EventName = "SignedOut", Level = LogLevel.Information,
        Message = "Account {AccountId} signed out")]
    public static partial void SignedOut(ILogger logger, string accountId);

    [LoggerMessage(EventId = 105, EventName = "PasswordResetSent", Level = LogLevel.Information,
        Message = "Sent a password reset link to account {AccountId}")]
    public static partial void PasswordResetSent(ILogger logger, string accountId);

    [LoggerMessage(EventId = 106, EventName = "PasswordReset", Level = LogLevel.Information,
        Message = "Account {AccountId} set a new password with a reset link")]
    public static partial void PasswordReset(ILogger logger, string accountId);

    [LoggerMessage(EventId = 107, EventName = "PasswordResetRefused", Level = LogLevel.Information,
        Message = "A password reset was refused ({Reason})")]
    public static partial void PasswordResetRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 110, EventName = "MailWritten", Level = LogLevel.Information,
        Message = "Wrote mail '{Subject}' to {Path}")]
    public static partial void MailWritten(ILogger logger, string subject, string path);

    [LoggerMessage(EventId = 120, EventName = "RoleCreated", Level = LogLevel.Information,
        Message = "Created role {Role}")]
    public static partial void RoleCreated(ILogger logger, string role);

    [LoggerMessage(EventId = 130, EventName = "SettingsSaved", Level = LogLevel.Information,
        Message = "Account {AccountId} saved its settings")]
    public static partial void SettingsSaved(ILogger logger, string accountId);

    [LoggerMessage(EventId = 131, EventName = "ApiTokenCreated", Level = LogLevel.Information,
        Message = "Account {AccountId} created API token {TokenId} ({Prefix})")]
    public static partial void ApiTokenCreated(ILogger logger, string accountId, long tokenId, string prefix);

    [LoggerMessage(EventId = 132, EventName = "ApiTokenRevoked", Level = LogLevel.Information,
        Message = "Account {AccountId} revoked API token {TokenId}")]
    public static partial void ApiTokenRevoked(ILogger logger, string accountId, long tokenId);

    [LoggerMessage(EventId = 150, EventName = "AdminAction", Level = LogLevel.Information,
        Message = "{Actor} did {Action} on {Subject}")]
    public static partial void AdminAction(ILogger logger, string actor, string action, string subject);

    [LoggerMessage(EventId = 151, EventName = "AdminActionRefused", Level = LogLevel.Warning,
        Message = "{Actor} was refused {Action} on {Subject}: {Reason}")]
    public static partial void AdminActionRefused(ILogger logger, string actor, string action, string subject, string reason);
}
