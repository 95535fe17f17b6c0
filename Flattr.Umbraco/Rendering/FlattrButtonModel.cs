using Flattr.Buttons;
using Microsoft.AspNetCore.Html;

namespace Flattr.Umbraco.Rendering;

/// <summary>
/// Everything a Flattr button needs for one article: the signed link to the Hub and the words for its accessible
/// name. The view component passes it to <c>Views/Shared/Components/FlattrButton/Default.cshtml</c>; a site can put its
/// own view at that path to render the button differently.
/// </summary>
/// <param name="Href">The signed link to the Hub (<see cref="Protocol.FlattrLinks"/>).</param>
/// <param name="Title">The article's title.</param>
/// <param name="CreatorName">The creator's display name, if known.</param>
/// <param name="Style">The button style, from <c>Flattr:ButtonStyle</c> unless a template chose another.</param>
public sealed record FlattrButtonModel(Uri Href, string Title, string? CreatorName, ButtonStyle Style)
{
    /// <summary>The button as HTML (a plain accessible link with inline styles), in <see cref="Style"/> or <paramref name="style"/>.</summary>
    public IHtmlContent ToHtml(ButtonStyle? style = null) =>
        new HtmlString(ButtonRenderer.RenderButton(new ButtonContent(Href, Title, CreatorName), style ?? Style));

    /// <summary>The page-head discovery link, <c>&lt;link rel="payment" …&gt;</c>.</summary>
    public IHtmlContent ToHeadLink() => new HtmlString(ButtonRenderer.RenderHeadLink(Href, Title));
}
