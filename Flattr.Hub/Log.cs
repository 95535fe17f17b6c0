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

    [LoggerMessage(EventId = 3, EventName = "StripeRateLimited", Level = LogLevel.Warning,
        Message = "Stripe rate-limited the transfer of payout line {LineId} (attempt {Attempt}); waiting")]
    public static partial void StripeRateLimited(ILogger logger, long lineId, int attempt);

    [LoggerMessage(EventId = 4, EventName = "PayoutLineFailed", Level = LogLevel.Warning,
        Message = "Payout line {LineId} failed: {Reason}")]
    public static partial void PayoutLineFailed(ILogger logger, long lineId, string reason);

    [LoggerMessage(EventId = 5, EventName = "PayoutRunCreated", Level = LogLevel.Information,
        Message = "Payout run {RunId} for {Period}: budgets of {Readers} readers frozen in {Seconds:F1} s")]
    public static partial void PayoutRunCreated(ILogger logger, Guid runId, string period, int readers, double seconds);

    [LoggerMessage(EventId = 6, EventName = "PayoutPlanRead", Level = LogLevel.Information,
        Message = "Payout run {RunId}: read the budgets and {ClickRows} clicks in {Seconds:F1} s; splitting")]
    public static partial void PayoutPlanRead(ILogger logger, Guid runId, long clickRows, double seconds);

    [LoggerMessage(EventId = 7, EventName = "PayoutPlanSaved", Level = LogLevel.Information,
        Message = "Payout run {RunId}: split in {SplitSeconds:F1} s; saved {Readers} reader outcomes, {Creators} creator allocations and the payout lines in {SaveSeconds:F1} s")]
    public static partial void PayoutPlanSaved(ILogger logger, Guid runId, double splitSeconds, int readers, int creators, double saveSeconds);
}
