using Flattr.Things;

namespace Flattr.Protocol;

/// <summary>
/// The validation the Hub applies to every thing an installation sends, shared so a CMS module can check a thing
/// before it queues it. Errors are keyed by JSON field path, each with every message that applies.
/// </summary>
public static class ThingValidation
{
    /// <summary>Validates one upsert; an empty dictionary means valid.</summary>
    /// <param name="externalId">The installation's id for the thing.</param>
    /// <param name="upsert">The upsert body.</param>
    /// <param name="prefix">A path prefix for error keys, for example <c>things[3].</c>.</param>
    public static Dictionary<string, string[]> Validate(string? externalId, ThingUpsert? upsert, string prefix = "")
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            var key = prefix + field;
            if (!errors.TryGetValue(key, out var list))
            {
                errors[key] = list = [];
            }

            list.Add(message);
        }

        CheckId(externalId, "externalId", "The thing's external id", Add);
        if (upsert is null)
        {
            Add("body", "A thing is required.");
            return Seal(errors);
        }

        if (string.IsNullOrWhiteSpace(upsert.Url))
        {
            Add("url", "The URL is required.");
        }
        else if (upsert.Url.Length > ThingLimits.UrlLength)
        {
            Add("url", $"The URL must be at most {ThingLimits.UrlLength} characters.");
        }
        else if (!Uri.TryCreate(upsert.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            Add("url", "The URL must be an absolute http or https address.");
        }

        if (string.IsNullOrWhiteSpace(upsert.Title))
        {
            Add("title", "The title is required.");
        }
        else
        {
            CheckText(upsert.Title, "title", "The title", ThingLimits.TitleLength, Add);
        }

        if (upsert.Description is not null)
        {
            if (upsert.Description.Length > ThingLimits.DescriptionLength)
            {
                Add("description", $"The description must be at most {ThingLimits.DescriptionLength} characters.");
            }
        }

        if (upsert.Category is not null && !ThingCategories.TryParse(upsert.Category, out _))
        {
            Add("category", $"'{upsert.Category}' is not a category; use one of: {string.Join(", ", ThingCategories.WireNames)}.");
        }

        if (upsert.Language is not null && !IsLanguageTag(upsert.Language))
        {
            Add("language", $"The language must be a tag such as en or en-GB, at most {ThingLimits.LanguageLength} characters.");
        }

        if (upsert.Tags is not null)
        {
            if (upsert.Tags.Count > ThingLimits.TagCount)
            {
                Add("tags", $"At most {ThingLimits.TagCount} tags are allowed.");
            }

            for (var i = 0; i < upsert.Tags.Count; i++)
            {
                var tag = upsert.Tags[i];
                if (string.IsNullOrWhiteSpace(tag))
                {
                    Add($"tags[{i}]", "A tag must not be empty.");
                }
                else
                {
                    CheckText(tag, $"tags[{i}]", "A tag", ThingLimits.TagLength, Add);
                }
            }
        }

        if (upsert.Creator is null)
        {
            Add("creator", "The creator is required.");
        }
        else
        {
            CheckId(upsert.Creator.ExternalId, "creator.externalId", "The creator's external id", Add);
            if (upsert.Creator.Name is not null)
            {
                CheckText(upsert.Creator.Name, "creator.name", "The creator's name", ThingLimits.CreatorNameLength, Add);
            }
        }

        return Seal(errors);
    }

    /// <summary>Converts a valid upsert into the domain <see cref="Thing"/>.</summary>
    /// <exception cref="ArgumentException">The upsert is not valid; call <see cref="Validate"/> first.</exception>
    public static Thing ToThing(string installationId, string externalId, ThingUpsert upsert)
    {
        ArgumentNullException.ThrowIfNull(upsert);
        if (Validate(externalId, upsert).Count > 0)
        {
            throw new ArgumentException("The thing is not valid.", nameof(upsert));
        }

        var category = ThingCategories.TryParse(upsert.Category, out var named) ? named : ThingCategory.Rest;
        return new Thing(
            installationId,
            externalId,
            new Uri(upsert.Url!, UriKind.Absolute),
            upsert.Title!.Trim(),
            string.IsNullOrWhiteSpace(upsert.Description) ? null : upsert.Description.Trim(),
            category,
            upsert.Language,
            upsert.Tags?.Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToArray() ?? [],
            upsert.Hidden,
            new CreatorRef(upsert.Creator!.ExternalId!, upsert.Creator.Name));
    }

    private static void CheckId(string? id, string field, string what, Action<string, string> add)
    {
        if (string.IsNullOrEmpty(id))
        {
            add(field, $"{what} is required.");
        }
        else if (id.Length > ThingLimits.ExternalIdLength)
        {
            add(field, $"{what} must be at most {ThingLimits.ExternalIdLength} characters.");
        }
        else if (id.Any(char.IsControl))
        {
            add(field, $"{what} must not contain control characters.");
        }
    }

    private static void CheckText(string text, string field, string what, int maxLength, Action<string, string> add)
    {
        if (text.Length > maxLength)
        {
            add(field, $"{what} must be at most {maxLength} characters.");
        }

        if (text.Any(char.IsControl))
        {
            add(field, $"{what} must not contain control characters.");
        }
    }

    private static bool IsLanguageTag(string tag) =>
        tag.Length is > 0 and <= ThingLimits.LanguageLength
        && char.IsAsciiLetter(tag[0])
        && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static Dictionary<string, string[]> Seal(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
