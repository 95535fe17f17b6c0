using System.Text.Json;
using System.Text.Json.Nodes;
using Flattr.Protocol;
using Flattr.Things;

namespace Flattr.OrchardContent;

/// <summary>
/// Maps an Orchard Core content item, as Orchard Core stores and serializes it, to a thing. The item's JSON carries the
/// well-known properties (<c>ContentItemId</c>, <c>ContentItemVersionId</c>, <c>ContentType</c>, <c>DisplayText</c>,
/// <c>Latest</c>, <c>Published</c>, <c>Owner</c>, <c>Author</c>, dates) and one object per part, each part holding its
/// fields: <c>TitlePart.Title</c>, <c>AutoroutePart.Path</c>, <c>HtmlBodyPart.Html</c>, <c>LocalizationPart.Culture</c>,
/// taxonomy fields with the tags editor's <c>TagNames</c>, and the Flattr part's own fields,
/// <c>FlattrPart.Enabled.Value</c> and <c>FlattrPart.CreatorId.Text</c>. The module and the recipe-only edition store the
/// same <c>FlattrPart</c> shape.
/// </summary>
public static class OrchardContentMapper
{
    /// <summary>The part's name in content definitions and in the item's JSON.</summary>
    public const string PartName = "FlattrPart";

    /// <summary>The part's boolean field: show the button for this item.</summary>
    public const string EnabledField = "Enabled";

    /// <summary>The part's text field: a creator id for this item instead of the site's.</summary>
    public const string CreatorIdField = "CreatorId";

    /// <summary>The prefix of creator ids made from an item's owner (<see cref="FlattrCreatorMode.ContentOwner"/>).</summary>
    public const string OwnerCreatorPrefix = "user:";

    /// <summary>The longest description taken from an item's body, in characters.</summary>
    public const int DescriptionLength = 300;

    /// <summary>
    /// Maps <paramref name="contentItem"/> (an item's JSON) with the site's <paramref name="settings"/> and public base
    /// address, and the settings of the part on the item's type if any.
    /// </summary>
    /// <exception cref="ArgumentException">The JSON is not a content item (it has no <c>ContentItemId</c>).</exception>
    public static OrchardContentMapping Map(
        JsonObject contentItem,
        FlattrCreatorSettings settings,
        Uri siteBaseUrl,
        FlattrPartSettings? partSettings = null)
    {
        ArgumentNullException.ThrowIfNull(contentItem);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(siteBaseUrl);
        if (!siteBaseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The site's base address must be absolute.", nameof(siteBaseUrl));
        }

        var id = Text(contentItem, "ContentItemId");
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException("The JSON is not an Orchard Core content item: it has no ContentItemId.", nameof(contentItem));
        }

        OrchardContentMapping Ineligible(ContentEligibility eligibility, string reason) => new()
        {
            ContentItemId = id,
            ContentItemVersionId = Text(contentItem, "ContentItemVersionId"),
            Eligibility = eligibility,
            Reason = reason,
        };

        if (!Flag(contentItem, "Published"))
        {
            return Ineligible(ContentEligibility.NotPublished, "Only the published version of an item is flattrable.");
        }

        if (Object(contentItem, PartName) is not { } part)
        {
            return Ineligible(ContentEligibility.NoFlattrPart, $"The {Text(contentItem, "ContentType") ?? "item's"} type has no {PartName}.");
        }

        var enabled = Object(part, EnabledField) is { } enabledField && enabledField["Value"] is JsonValue value
            && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : settings.DefaultEnabled;
        if (!enabled)
        {
            return Ineligible(ContentEligibility.Disabled, "The item's Flattr button is switched off.");
        }

        if (Address(contentItem, siteBaseUrl) is not { } url)
        {
            return Ineligible(ContentEligibility.NoUrl, "The item has no public address: add AutoroutePart to its type and give the item a permalink.");
        }

        if (Creator(contentItem, part, settings) is not { } creator)
        {
            return Ineligible(ContentEligibility.NoCreator, "Nobody would receive the flattrs: set a default creator in the Flattr settings, or a creator on the item.");
        }

        var thing = new ThingUpsert
        {
            Url = url.AbsoluteUri,
            Title = Title(contentItem),
            Description = Description(contentItem),
            Category = (partSettings?.GetCategory() ?? ThingCategory.Text).ToWireName(),
            Language = Text(Object(contentItem, "LocalizationPart"), "Culture"),
            Tags = Tags(contentItem),
            Hidden = partSettings?.Hidden ?? false,
            Creator = creator,
        };

        var errors = ThingValidation.Validate(id, thing);
        if (errors.ContainsKey("language"))
        {
            // A culture the Hub does not accept as a language tag is dropped rather than costing the item its button.
            thing = thing with { Language = null };
            errors = ThingValidation.Validate(id, thing);
        }

        return new OrchardContentMapping
        {
            ContentItemId = id,
            ContentItemVersionId = Text(contentItem, "ContentItemVersionId"),
            Eligibility = errors.Count == 0 ? ContentEligibility.Eligible : ContentEligibility.Invalid,
            Thing = thing,
            Reason = errors.Count == 0 ? null : "The Hub would refuse the item: " + string.Join(" ", errors.SelectMany(e => e.Value)),
            Problems = [.. errors.SelectMany(e => e.Value)],
        };
    }

    private static Uri? Address(JsonObject item, Uri siteBaseUrl)
    {
        if (Object(item, "AutoroutePart") is not { } route)
        {
            return null;
        }

        // A trailing slash makes the item's path resolve below the tenant's prefix (https://example.org/blog/ + post-1).
        var root = siteBaseUrl.AbsoluteUri.EndsWith('/') ? siteBaseUrl : new Uri(siteBaseUrl.AbsoluteUri + "/");
        if (Flag(route, "SetHomepage"))
        {
            return root;
        }

        var path = Text(route, "Path")?.Trim().Trim('/');
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        // Autoroute paths are slugs but may hold any letter; each segment is escaped so nothing in a path can become a
        // query, a fragment or a way out of the tenant's prefix.
        var escaped = string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s is not ("." or ".."))
            .Select(Uri.EscapeDataString));
        return escaped.Length == 0 ? null : new Uri(root, escaped);
    }

    private static CreatorUpsert? Creator(JsonObject item, JsonObject part, FlattrCreatorSettings settings)
    {
        var defaultId = NullIfBlank(settings.DefaultCreatorId);
        var defaultName = NullIfBlank(settings.DefaultCreatorName);
        if (NullIfBlank(Text(Object(part, CreatorIdField), "Text")) is { } chosen)
        {
            return new CreatorUpsert { ExternalId = chosen, Name = chosen == defaultId ? defaultName : null };
        }

        // The owner's user name (Author) is a login name: it is never sent to the Hub. The creator names themselves
        // when they claim the creator on the Hub.
        if (settings.CreatorMode == FlattrCreatorMode.ContentOwner && NullIfBlank(Text(item, "Owner")) is { } owner)
        {
            return new CreatorUpsert { ExternalId = OwnerCreatorPrefix + owner };
        }

        return defaultId is null ? null : new CreatorUpsert { ExternalId = defaultId, Name = defaultName };
    }

    private static string? Title(JsonObject item)
    {
        var title = NullIfBlank(Text(Object(item, "TitlePart"), "Title")) ?? NullIfBlank(Text(item, "DisplayText"));
        return title is null ? null : PlainText.Truncate(PlainText.Collapse(title), ThingLimits.TitleLength);
    }

    private static string? Description(JsonObject item)
    {
        var text = Text(Object(item, "HtmlBodyPart"), "Html") is { } html ? PlainText.FromHtml(html)
            : Text(Object(item, "MarkdownBodyPart"), "Markdown") is { } markdown ? PlainText.FromMarkdown(markdown)
            : null;
        return string.IsNullOrEmpty(text) ? null : PlainText.Truncate(text, DescriptionLength);
    }

    // Tags come from taxonomy fields edited with the Tags editor, which keep the terms' names in TagNames next to their
    // ids. Fields live in the part named after the content type or in any named part, so every part is looked at.
    private static List<string>? Tags(JsonObject item)
    {
        var tags = new List<string>();
        foreach (var (_, node) in item)
        {
            if (node is not JsonObject part)
            {
                continue;
            }

            foreach (var (_, fieldNode) in part)
            {
                if (fieldNode is not JsonObject field || field["TagNames"] is not JsonArray names)
                {
                    continue;
                }

                foreach (var name in names)
                {
                    if (name is JsonValue v && v.GetValueKind() == JsonValueKind.String
                        && PlainText.Collapse(v.GetValue<string>()) is { Length: > 0 } tag
                        && !tag.Any(char.IsControl))
                    {
                        var trimmed = PlainText.Truncate(tag, ThingLimits.TagLength);
                        if (!tags.Contains(trimmed, StringComparer.Ordinal) && tags.Count < ThingLimits.TagCount)
                        {
                            tags.Add(trimmed);
                        }
                    }
                }
            }
        }

        return tags.Count == 0 ? null : tags;
    }

    private static JsonObject? Object(JsonObject? parent, string name) => parent?[name] as JsonObject;

    private static string? Text(JsonObject? parent, string name) =>
        parent?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool Flag(JsonObject? parent, string name) =>
        parent?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
