using System.Text.Json;
using System.Text.Json.Nodes;
using OrchardCore.ContentManagement;

namespace Flattr.OrchardCore.Services;

/// <summary>A content item as the JSON Orchard Core stores, which is what Flattr.Core's mapper reads.</summary>
public static class ContentItemJson
{
    /// <summary>Serializes <paramref name="contentItem"/> with Orchard's own options and converter (<c>ContentItemConverter</c>).</summary>
    public static JsonObject From(ContentItem contentItem)
    {
        ArgumentNullException.ThrowIfNull(contentItem);
        return JsonSerializer.SerializeToNode(contentItem, JOptions.Default)!.AsObject();
    }
}
