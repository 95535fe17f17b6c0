using Flattr.Sync;
using Microsoft.Extensions.Logging;

namespace Flattr.Umbraco;

/// <summary>Every log message of Flattr.Umbraco, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "SyncQueued", Level = LogLevel.Debug, Message = "Queued {Kind} of document {DocumentKey} for the Flattr Hub.")]
    public static partial void Queued(ILogger logger, SyncKind kind, Guid documentKey);

    [LoggerMessage(EventId = 2, EventName = "SyncQueueFailed", Level = LogLevel.Error,
        Message = "Could not queue document {DocumentKey} for the Flattr Hub; the next reconcile pass will pick it up.")]
    public static partial void QueueFailed(ILogger logger, Exception exception, Guid documentKey);

    [LoggerMessage(EventId = 3, EventName = "UnreadableQueueItem", Level = LogLevel.Warning,
        Message = "The Flattr outbox row {Key} is not a readable sync item and is ignored until the document changes again.")]
    public static partial void UnreadableQueueItem(ILogger logger, Exception exception, string key);

    [LoggerMessage(EventId = 10, EventName = "SyncPass", Level = LogLevel.Information,
        Message = "Flattr sync: {Sent} sent, {Retired} retired, {Deferred} deferred, {Failed} refused by the Hub.")]
    public static partial void SyncPass(ILogger logger, int sent, int retired, int deferred, int failed);

    [LoggerMessage(EventId = 11, EventName = "SyncPassFailed", Level = LogLevel.Error, Message = "A Flattr sync pass failed; the outbox is kept and tried again.")]
    public static partial void SyncPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 12, EventName = "Reconciled", Level = LogLevel.Information,
        Message = "Flattr reconcile: {Checked} documents checked, {Queued} queued again.")]
    public static partial void Reconciled(ILogger logger, int @checked, int queued);

    [LoggerMessage(EventId = 20, EventName = "InstallerSkipped", Level = LogLevel.Debug,
        Message = "Flattr installer skipped: Umbraco runs at level {Level}, not Run.")]
    public static partial void InstallerSkipped(ILogger logger, global::Umbraco.Cms.Core.RuntimeLevel level);

    [LoggerMessage(EventId = 21, EventName = "InstallerCreated", Level = LogLevel.Information, Message = "Flattr installer: created {What} '{Name}'.")]
    public static partial void InstallerCreated(ILogger logger, string what, string name);

    [LoggerMessage(EventId = 22, EventName = "InstallerComposed", Level = LogLevel.Information,
        Message = "Flattr installer: added the Flattr composition to document type '{Alias}'.")]
    public static partial void InstallerComposed(ILogger logger, string alias);

    [LoggerMessage(EventId = 23, EventName = "InstallerDocumentTypeMissing", Level = LogLevel.Warning,
        Message = "Flattr installer: document type '{Alias}' from Flattr:DocumentTypes does not exist; it is tried again on the next start.")]
    public static partial void DocumentTypeMissing(ILogger logger, string alias);

    [LoggerMessage(EventId = 24, EventName = "InstallerFailed", Level = LogLevel.Error,
        Message = "Flattr installer: could not {Step} ({Status}); it is tried again on the next start.")]
    public static partial void InstallerStepFailed(ILogger logger, string step, string status);

    [LoggerMessage(EventId = 25, EventName = "InstallerCrashed", Level = LogLevel.Error,
        Message = "Flattr installer failed; the site runs without it and it is tried again on the next start.")]
    public static partial void InstallerCrashed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 26, EventName = "InstallerCompositionGone", Level = LogLevel.Information,
        Message = "Flattr installer: the Flattr composition it created was deleted by an editor; it is not created again.")]
    public static partial void CompositionGone(ILogger logger);
}
