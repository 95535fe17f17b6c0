namespace Flattr.Things;

/// <summary>
/// A piece of content on an installation that readers can flattr: an article, photo, podcast episode, video or
/// piece of software. It is identified by its installation and the installation's own id for it.
/// </summary>
/// <param name="InstallationId">The installation (CMS site) the thing lives on.</param>
/// <param name="ExternalId">The installation's id for the thing (for example an Umbraco document key).</param>
/// <param name="Url">The public address of the thing.</param>
/// <param name="Title">The title shown to readers.</param>
/// <param name="Description">An optional short description.</param>
/// <param name="Category">What kind of work it is.</param>
/// <param name="Language">An optional BCP 47 language tag such as <c>en-GB</c>.</param>
/// <param name="Tags">Free-form tags.</param>
/// <param name="Hidden">True when the thing must not be listed publicly on the Hub.</param>
/// <param name="Creator">Who gets the thing's share of readers' budgets.</param>
public sealed record Thing(
    string InstallationId,
    string ExternalId,
    Uri Url,
    string Title,
    string? Description,
    ThingCategory Category,
    string? Language,
    IReadOnlyList<string> Tags,
    bool Hidden,
    CreatorRef Creator);

/// <summary>A creator as an installation names it: the installation's id for the person, and a display name.</summary>
/// <param name="ExternalId">The installation's id for the creator (an author key, a member id, or the site default).</param>
/// <param name="Name">The name shown to readers.</param>
public sealed record CreatorRef(string ExternalId, string? Name);

/// <summary>One click of a Flattr button: <paramref name="ReaderId"/> flattred <paramref name="ThingId"/> at a time.</summary>
/// <param name="ReaderId">The reader who clicked.</param>
/// <param name="ThingId">The thing clicked.</param>
/// <param name="CreatorId">The creator the thing belongs to.</param>
/// <param name="ClickedAt">When; any offset, counted in UTC.</param>
public sealed record Click(string ReaderId, string ThingId, string CreatorId, DateTimeOffset ClickedAt);

/// <summary>The size limits every installation and the Hub agree on for a thing's fields.</summary>
public static class ThingLimits
{
    /// <summary>Longest external id of a thing or creator, in characters.</summary>
    public const int ExternalIdLength = 256;

    /// <summary>Longest URL, in characters.</summary>
    public const int UrlLength = 2048;

    /// <summary>Longest title, in characters.</summary>
    public const int TitleLength = 200;

    /// <summary>Longest description, in characters.</summary>
    public const int DescriptionLength = 1000;

    /// <summary>Longest language tag, in characters.</summary>
    public const int LanguageLength = 35;

    /// <summary>Most tags on one thing.</summary>
    public const int TagCount = 20;

    /// <summary>Longest tag, in characters.</summary>
    public const int TagLength = 50;

    /// <summary>Longest creator display name, in characters.</summary>
    public const int CreatorNameLength = 200;

    /// <summary>Most things in one batch upsert.</summary>
    public const int BatchSize = 500;
}
