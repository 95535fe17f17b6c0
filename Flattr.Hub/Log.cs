namespace Flattr.Hub;

/// <summary>The Hub's log messages, source-generated. Event ids are stable; add new ones at the end.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "ApplyingMigrations", Level = LogLevel.Information,
        Message = "Applying {Count} database migrations on {Provider}")]
    public static partial void ApplyingMigrations(ILogger logger, int count, string provider);

    [LoggerMessage(EventId = 2, EventName = "SignedRequestRefused", Level = LogLevel.Warning,
        Message = "Refused an installation request from {InstallationId} ({Reason}) for {Path}")]
    public static partial void SignedRequestRefused(ILogger logger, string installationId, string reason, string path);
}
