using Flattr.OrchardCore.Models;
using Flattr.OrchardCore.Services;
using OrchardCore.ContentManagement.Handlers;

namespace Flattr.OrchardCore.Handlers;

/// <summary>Keeps the Hub in step with the items that have the Flattr part: published, unpublished, removed.</summary>
public sealed class FlattrPartHandler(FlattrContentSync contentSync) : ContentPartHandler<FlattrPart>
{
    /// <inheritdoc/>
    public override Task PublishedAsync(PublishContentContext context, FlattrPart part) =>
        contentSync.PublishedAsync(context.ContentItem);

    /// <inheritdoc/>
    public override Task UnpublishedAsync(PublishContentContext context, FlattrPart part) =>
        contentSync.WithdrawnAsync(context.ContentItem);

    /// <inheritdoc/>
    public override Task RemovedAsync(RemoveContentContext context, FlattrPart part) =>
        // Removing a draft leaves the published version (and its thing) in place.
        context.NoActiveVersionLeft ? contentSync.WithdrawnAsync(context.ContentItem) : Task.CompletedTask;
}
