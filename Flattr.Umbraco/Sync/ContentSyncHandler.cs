using Flattr.Sync;
using Flattr.Umbraco.Content;
using Microsoft.Extensions.Logging;
using Umbraco.Cms.Core.Events;
using Umbraco.Cms.Core.Models;
using Umbraco.Cms.Core.Notifications;

namespace Flattr.Umbraco.Sync;

/// <summary>
/// Queues every change of Flattr-enabled content in the outbox: publishing (and moving, which changes the URL) queues an
/// upsert, or a retirement when the editor switched the button off or the page is protected; unpublishing, moving to
/// the recycle bin and deleting queue a retirement. Only the database is touched here: publishing never waits for
/// the Hub, and a failure to queue is logged and never fails the editor's action (the reconcile pass catches up).
/// </summary>
internal sealed class ContentSyncHandler(ContentThings things, KeyValueSyncQueueStore store, TimeProvider timeProvider, ILogger<ContentSyncHandler> logger)
    : INotificationAsyncHandler<ContentPublishedNotification>,
      INotificationAsyncHandler<ContentUnpublishedNotification>,
      INotificationAsyncHandler<ContentMovedToRecycleBinNotification>,
      INotificationAsyncHandler<ContentDeletedNotification>,
      INotificationAsyncHandler<ContentMovedNotification>
{
    public Task HandleAsync(ContentPublishedNotification notification, CancellationToken cancellationToken) =>
        QueueAsync(notification.PublishedEntities, retire: false, cancellationToken);

    public Task HandleAsync(ContentUnpublishedNotification notification, CancellationToken cancellationToken) =>
        QueueAsync(notification.UnpublishedEntities, retire: true, cancellationToken);

    public Task HandleAsync(ContentMovedToRecycleBinNotification notification, CancellationToken cancellationToken) =>
        QueueAsync(notification.MoveInfoCollection.Select(m => m.Entity), retire: true, cancellationToken);

    public Task HandleAsync(ContentDeletedNotification notification, CancellationToken cancellationToken) =>
        QueueAsync(notification.DeletedEntities, retire: true, cancellationToken);

    // A move changes the URL of the document and of everything below it; only published ones matter to the Hub.
    public Task HandleAsync(ContentMovedNotification notification, CancellationToken cancellationToken) =>
        QueueAsync(notification.MoveInfoCollection.Select(m => m.Entity).Where(c => c.Published && !c.Trashed), retire: false, cancellationToken);

    private async Task QueueAsync(IEnumerable<IContent> contents, bool retire, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var content in contents)
        {
            try
            {
                var item = retire ? Retirement(content, now) : things.Decide(content, now);
                if (item is not null)
                {
                    await store.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
                    Log.Queued(logger, item.Kind, content.Key);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Never fail the editor's publish because of Flattr; the next reconcile pass queues the change.
                Log.QueueFailed(logger, e, content.Key);
            }
        }
    }

    // A document that takes part, or whose thing the Hub holds (its type may have lost the composition since), is retired.
    private SyncItem? Retirement(IContent content, DateTimeOffset now)
    {
        var id = ContentThings.ExternalId(content.Key);
        return ContentThings.TakesPart(content) || store.FindSynced(id) is { Kind: SyncKind.Upsert }
            ? SyncItem.Retire(id, now)
            : null;
    }
}
