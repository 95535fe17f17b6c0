using Flattr.Buttons;
using Flattr.HubClient;

namespace Flattr.Umbraco.Configuration;

/// <summary>
/// The site's Flattr settings, bound from the <c>Flattr</c> section of <c>appsettings.json</c>. The Hub connection
/// (<c>HubUrl</c>, <c>InstallationId</c>, <c>Secret</c>, <c>AttemptTimeout</c>, <c>TotalTimeout</c>) lives in the same
/// section and is bound to <see cref="FlattrHubOptions"/>. Everything is validated when the site starts.
/// </summary>
public sealed class FlattrOptions
{
    /// <summary>The configuration section both option classes are bound from.</summary>
    public const string SectionName = "Flattr";

    /// <summary>
    /// The creator id that receives the flattrs of articles without an author mapping or override, for example the
    /// site's name. Required.
    /// </summary>
    public string? DefaultCreator { get; set; }

    /// <summary>The display name of <see cref="DefaultCreator"/>, shown to readers on the Hub.</summary>
    public string? DefaultCreatorName { get; set; }

    /// <summary>
    /// Aliases of the document types that get the Flattr composition (the toggle and the creator override). The installer
    /// adds it once per alias; removing an alias later does not remove the composition again.
    /// </summary>
    public IList<string> DocumentTypes { get; } = [];

    /// <summary>Whether the button shows on an article whose editor never touched the toggle.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnabledByDefault { get; set; } = true;

    /// <summary>How the button looks.</summary>
    /// <value>The default value is <see cref="ButtonStyle.Default"/>.</value>
    public ButtonStyle ButtonStyle { get; set; } = ButtonStyle.Default;

    /// <summary>Where <c>flattr-content</c> puts the button in the article's markup.</summary>
    /// <value>The default value is <see cref="ButtonPlacement.End"/>.</value>
    public ButtonPlacement ButtonPlacement { get; set; } = ButtonPlacement.End;

    /// <summary>The Hub category of the site's articles: text, images, video, audio, software, people or rest.</summary>
    /// <value>The default value is <c>text</c>.</value>
    public string Category { get; set; } = "text";

    /// <summary>
    /// The site's public address, used when Umbraco gives an article a relative URL (no domain is assigned to the site's
    /// root in Umbraco). Set it, or assign a domain, so the Hub can link back to your articles.
    /// </summary>
    public Uri? SiteUrl { get; set; }

    /// <summary>Whether an article's author (the Umbraco user who created it) is its creator on the Hub.</summary>
    /// <value>The default value is <see langword="true"/>; when false every article goes to <see cref="DefaultCreator"/>.</value>
    public bool AuthorsAreCreators { get; set; } = true;

    /// <summary>
    /// Maps Umbraco users (by user name or email, ignoring case) to creator ids on the Hub. Authors not listed get the id
    /// <c>umbraco-user-{user key}</c>.
    /// </summary>
    public IDictionary<string, string> Authors { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How published content is kept in sync with the Hub.</summary>
    public FlattrSyncOptions Sync { get; } = new();
}

/// <summary>How the outbox is drained and how often everything is reconciled.</summary>
public sealed class FlattrSyncOptions
{
    /// <summary>How often the outbox is drained.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often all Flattr-enabled content is compared with what was last sent, and whatever drifted is queued again.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most items sent in one pass (upserts go in batches of up to 500).</summary>
    /// <value>The default value is 2000.</value>
    public int MaxItemsPerPass { get; set; } = 2000;
}

/// <summary>Where the <c>flattr-content</c> tag helper puts the button inside the element it decorates.</summary>
public enum ButtonPlacement
{
    /// <summary>After the article's content.</summary>
    End,

    /// <summary>Before the article's content.</summary>
    Start,

    /// <summary>Before and after the article's content.</summary>
    Both,

    /// <summary>Nowhere: only explicit <c>&lt;flattr-button&gt;</c> tags and view components render buttons.</summary>
    None,
}
