using Flattr.OrchardContent;
using Microsoft.Extensions.Logging;

namespace Flattr.OrchardCore.Services;

/// <summary>The module's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "FlattrNotConfigured", Level = LogLevel.Debug,
        Message = "Flattr is not configured on tenant {Tenant}, so nothing is sent to the Hub: {ProblemCount} settings to fix on Settings > Flattr.")]
    public static partial void NotConfigured(ILogger logger, string tenant, int problemCount);

    [LoggerMessage(EventId = 2, EventName = "FlattrSyncIncomplete", Level = LogLevel.Warning,
        Message = "Flattr sync on tenant {Tenant}: {Sent} sent, {Retired} retired, {Deferred} waiting to be retried, {Failed} refused by the Hub.")]
    public static partial void SyncIncomplete(ILogger logger, string tenant, int sent, int retired, int deferred, int failed);

    [LoggerMessage(EventId = 3, EventName = "FlattrQueueUnavailable", Level = LogLevel.Error,
        Message = "Flattr could not queue content item {ContentItemId} for the Hub on tenant {Tenant}; it is registered on its first flattr or synced when next published.")]
    public static partial void QueueUnavailable(ILogger logger, Exception exception, string contentItemId, string tenant);

    [LoggerMessage(EventId = 4, EventName = "FlattrItemNotSynced", Level = LogLevel.Debug,
        Message = "Flattr: content item {ContentItemId} is not a thing ({Eligibility}): {Reason}")]
    public static partial void ItemNotAThing(ILogger logger, string contentItemId, ContentEligibility eligibility, string? reason);
}
