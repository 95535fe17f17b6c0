using System.Text;
using Flattr.Protocol;
using Flattr.Sync;
using Flattr.Things;
using Flattr.Umbraco.Configuration;
using Microsoft.Extensions.Options;
using Umbraco.Cms.Core.Models;
using Umbraco.Cms.Core.Services;

namespace Flattr.Umbraco.Content;

/// <summary>
/// Turns Umbraco documents into Flattr things: which documents take part, whether their thing should exist on the Hub
/// right now, and what it says. The thing's URL is left out here and resolved when the item is sent, from the
/// published cache as it is then (see <see cref="Sync.UrlResolvingSyncQueueStore"/>).
/// </summary>
internal sealed class ContentThings(CreatorResolver creators, IPublicAccessService publicAccess, IOptionsMonitor<FlattrOptions> options)
{
    /// <summary>The thing's external id: the document key.</summary>
    public static string ExternalId(Guid documentKey) => documentKey.ToString("D");

    /// <summary>True when the document's type has the Flattr toggle (through the composition or otherwise).</summary>
    public static bool TakesPart(IContentBase content) => content.HasProperty(FlattrAliases.Enabled);

    /// <summary>Whether the editor left the button on, reading the published value.</summary>
    public bool IsEnabled(IContentBase content) =>
        FlattrToggle.IsOn(content.GetValue(FlattrAliases.Enabled, published: true), options.CurrentValue.EnabledByDefault);

    /// <summary>
    /// What the Hub should hold for <paramref name="content"/> now: an upsert while it is published, enabled and public,
    /// otherwise a retirement. Null when the document does not take part in Flattr.
    /// </summary>
    public SyncItem? Decide(IContent content, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!TakesPart(content))
        {
            return null;
        }

        var id = ExternalId(content.Key);
        if (content.Trashed || !content.Published || !IsEnabled(content) || publicAccess.IsProtected(content).Success)
        {
            return SyncItem.Retire(id, now);
        }

        return SyncItem.Upsert(id, Thing(content), now);
    }

    /// <summary>The creator the document's flattrs go to.</summary>
    public CreatorUpsert Creator(IContentBase content) =>
        creators.Resolve(content.HasProperty(FlattrAliases.Creator) ? content.GetValue<string>(FlattrAliases.Creator, published: true) : null, content.CreatorId);

    /// <summary>The thing as the Hub should hold it, without its URL.</summary>
    public ThingUpsert Thing(IContent content) => new()
    {
        Title = CleanTitle(content.PublishName ?? content.Name),
        Category = options.CurrentValue.Category,
        Creator = Creator(content),
    };

    /// <summary>
    /// A title the Hub accepts: control characters (a pasted tab or line break) become spaces and it is cut to the
    /// Hub's limit. An empty name becomes "Untitled" so the article can still be flattred.
    /// </summary>
    public static string CleanTitle(string? name)
    {
        var builder = new StringBuilder(name?.Length ?? 0);
        foreach (var c in (name ?? string.Empty).Trim())
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        var title = builder.ToString().Trim();
        if (title.Length == 0)
        {
            return "Untitled";
        }

        if (title.Length > ThingLimits.TitleLength)
        {
            // Never cut a surrogate pair in half.
            var cut = ThingLimits.TitleLength;
            if (char.IsHighSurrogate(title[cut - 1]))
            {
                cut--;
            }

            title = title[..cut].TrimEnd();
        }

        return title;
    }
}
