using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Xml.Linq;

namespace Flattr.Buttons;

/// <summary>How a Flattr button looks.</summary>
public enum ButtonStyle
{
    /// <summary>A pill with the Flattr mark, a label and, when known, the count.</summary>
    Default,

    /// <summary>A small pill with the mark and the count only; the label stays for screen readers.</summary>
    Compact,

    /// <summary>A plain text link that takes the site's own link style.</summary>
    Text,
}

/// <summary>What a button shows. <paramref name="Href"/> is the signed link from <see cref="Protocol.FlattrLinks.Create"/>.</summary>
/// <param name="Href">The Hub address the button links to.</param>
/// <param name="Title">The thing's title, for the accessible name.</param>
/// <param name="CreatorName">The creator's name, for the accessible name, if known.</param>
/// <param name="Count">How often it was flattred, if the installation knows (from its last sync); never fetched by the reader.</param>
public sealed record ButtonContent(Uri Href, string Title, string? CreatorName = null, long? Count = null);

/// <summary>The words a button uses; replace them to translate the button.</summary>
public sealed record ButtonLabels
{
    /// <summary>English labels.</summary>
    public static ButtonLabels English { get; } = new();

    /// <summary>The visible label.</summary>
    public string Label { get; init; } = "Flattr";

    /// <summary>The accessible name; <c>{0}</c> is the title.</summary>
    public string AccessibleName { get; init; } = "Flattr \u201c{0}\u201d";

    /// <summary>The accessible name with a creator; <c>{0}</c> is the title and <c>{1}</c> the creator.</summary>
    public string AccessibleNameWithCreator { get; init; } = "Flattr \u201c{0}\u201d by {1}";

    /// <summary>Words after the count for screen readers; <c>{0}</c> is the count.</summary>
    public string CountSuffix { get; init; } = "{0} flattrs";
}

/// <summary>
/// Renders Flattr buttons and payment links as HTML and feed elements. Everything is a plain link with inline
/// styles and an inline SVG mark: nothing is loaded from the Hub or anywhere else until a reader clicks, so the
/// button works without JavaScript and tells no third party who reads the page.
/// </summary>
public static class ButtonRenderer
{
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";

    // Every script, so titles in any language stay readable in the markup; HTML-significant characters are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    // The Flattr mark, drawn inline: two interlocking arrows.
    private const string Mark =
        "<svg class=\"flattr-button__mark\" aria-hidden=\"true\" focusable=\"false\" width=\"16\" height=\"16\" viewBox=\"0 0 16 16\">"
        + "<path fill=\"currentColor\" d=\"M3 3h7v3l4-4-4-4v3H2a1 1 0 0 0-1 1v6l2-2zM13 13H6v-3l-4 4 4 4v-3h8a1 1 0 0 0 1-1V8l-2 2z\"/></svg>";

    private const string PillStyle =
        "display:inline-flex;align-items:center;gap:.35em;padding:.25em .7em;border-radius:1em;background:#ed8a19;color:#fff;"
        + "font:600 .9em/1.4 system-ui,sans-serif;text-decoration:none;";

    private const string HiddenStyle =
        "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;";

    /// <summary>Renders an accessible button: a real link that works with no JavaScript.</summary>
    public static string RenderButton(ButtonContent content, ButtonStyle style = ButtonStyle.Default, ButtonLabels? labels = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        labels ??= ButtonLabels.English;
        var modifier = style.ToString().ToLowerInvariant();

        var html = new StringBuilder(512);
        html.Append("<a class=\"flattr-button flattr-button--").Append(modifier).Append("\" href=\"")
            .Append(Encoder.Encode(content.Href.AbsoluteUri)).Append("\" rel=\"payment nofollow\" aria-label=\"")
            .Append(Encoder.Encode(AccessibleName(content, labels))).Append('"');
        if (style != ButtonStyle.Text)
        {
            html.Append(" style=\"").Append(PillStyle).Append('"');
        }

        html.Append('>');
        switch (style)
        {
            case ButtonStyle.Default:
                html.Append(Mark).Append("<span class=\"flattr-button__label\">").Append(Encoder.Encode(labels.Label)).Append("</span>");
                AppendCount(html, content.Count);
                break;
            case ButtonStyle.Compact:
                html.Append(Mark).Append("<span class=\"flattr-button__label\" style=\"").Append(HiddenStyle).Append("\">")
                    .Append(Encoder.Encode(labels.Label)).Append("</span>");
                AppendCount(html, content.Count);
                break;
            default:
                html.Append("<span class=\"flattr-button__label\">").Append(Encoder.Encode(labels.Label)).Append("</span>");
                if (content.Count is { } count)
                {
                    html.Append(" <span class=\"flattr-button__count\">(").Append(count.ToString(CultureInfo.InvariantCulture)).Append(")</span>");
                }

                break;
        }

        return html.Append("</a>").ToString();
    }

    /// <summary>
    /// The button's accessible name (its <c>aria-label</c>): the title, the creator when known and the count when known.
    /// Templates that lay out the button themselves (Orchard Core's Liquid views) use it to stay identical to
    /// <see cref="RenderButton"/>.
    /// </summary>
    public static string AccessibleName(ButtonContent content, ButtonLabels? labels = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        labels ??= ButtonLabels.English;
        var name = string.IsNullOrWhiteSpace(content.CreatorName)
            ? string.Format(CultureInfo.InvariantCulture, labels.AccessibleName, content.Title)
            : string.Format(CultureInfo.InvariantCulture, labels.AccessibleNameWithCreator, content.Title, content.CreatorName);
        return CountedName(name, content.Count, labels);
    }

    /// <summary>Renders the page-head discovery link: <c>&lt;link rel="payment" href="…" type="text/html"&gt;</c>.</summary>
    public static string RenderHeadLink(Uri href, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(href);
        var html = new StringBuilder("<link rel=\"payment\" href=\"").Append(Encoder.Encode(href.AbsoluteUri)).Append("\" type=\"text/html\"");
        if (!string.IsNullOrWhiteSpace(title))
        {
            html.Append(" title=\"").Append(Encoder.Encode(title)).Append('"');
        }

        return html.Append('>').ToString();
    }

    /// <summary>
    /// The feed discovery link, an Atom <c>link rel="payment"</c> element. Put it in an Atom entry as it is, or in an RSS
    /// item (declare <c>xmlns:atom="http://www.w3.org/2005/Atom"</c> on the feed).
    /// </summary>
    public static XElement CreateFeedLink(Uri href)
    {
        ArgumentNullException.ThrowIfNull(href);
        XNamespace atom = AtomNamespace;
        return new XElement(
            atom + "link",
            new XAttribute("rel", "payment"),
            new XAttribute("href", href.AbsoluteUri),
            new XAttribute("type", "text/html"));
    }

    private static string CountedName(string name, long? count, ButtonLabels labels) =>
        count is { } value
            ? name + ", " + string.Format(CultureInfo.InvariantCulture, labels.CountSuffix, value)
            : name;

    private static void AppendCount(StringBuilder html, long? count)
    {
        if (count is { } value)
        {
            html.Append("<span class=\"flattr-button__count\" aria-hidden=\"true\" style=\"padding-left:.35em;border-left:1px solid rgba(255,255,255,.6)\">")
                .Append(value.ToString(CultureInfo.InvariantCulture)).Append("</span>");
        }
    }
}
