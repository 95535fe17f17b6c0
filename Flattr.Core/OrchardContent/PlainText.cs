using System.Net;
using System.Text.RegularExpressions;

namespace Flattr.OrchardContent;

/// <summary>Turns an item's HTML or Markdown body into a short plain-text description.</summary>
internal static partial class PlainText
{
    public static string FromHtml(string html)
    {
        var text = ScriptOrStyle().Replace(html, " ");
        text = Comment().Replace(text, " ");
        // Block-level tags separate words; inline ones (<b>, <a>, <span>) sit inside words and must not split them.
        text = BlockTag().Replace(text, " ");
        text = AnyTag().Replace(text, string.Empty);
        return Collapse(WebUtility.HtmlDecode(text));
    }

    public static string FromMarkdown(string markdown)
    {
        var text = ImageOrLink().Replace(markdown, "$1");
        text = LinePrefix().Replace(text, string.Empty);
        text = Emphasis().Replace(text, string.Empty);
        return FromHtml(text);
    }

    /// <summary>At most <paramref name="max"/> characters, cut at a word boundary and ended with an ellipsis when shortened.</summary>
    public static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = text[..(max - 1)];
        var space = cut.LastIndexOf(' ');
        if (space > max / 2)
        {
            cut = cut[..space];
        }

        if (cut.Length > 0 && char.IsHighSurrogate(cut[^1]))
        {
            cut = cut[..^1]; // never leave half a character
        }

        return cut.TrimEnd() + "\u2026";
    }

    public static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"<(script|style|template)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"</?(p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|hr|section|article|figure|figcaption|header|footer|dd|dt)\b[^>]*>",
        RegexOptions.IgnoreCase)]
    private static partial Regex BlockTag();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex ImageOrLink();

    [GeneratedRegex(@"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", RegexOptions.Multiline)]
    private static partial Regex LinePrefix();

    [GeneratedRegex(@"(\*{1,3}|`+|~~)")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
