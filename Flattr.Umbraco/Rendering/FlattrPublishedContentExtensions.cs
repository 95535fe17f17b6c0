using System.Xml.Linq;
using Flattr.Buttons;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Umbraco.Cms.Core.Models.PublishedContent;

namespace Flattr.Umbraco.Rendering;

/// <summary>
/// Flattr helpers on <see cref="IPublishedContent"/> for templates: <c>@Model.FlattrButton(Context)</c>. They take the
/// view's <c>Context</c> (the <see cref="HttpContext"/>) to reach the site's services.
/// </summary>
public static class FlattrPublishedContentExtensions
{
    /// <summary>True when the article renders a Flattr button (published, public, and the toggle on).</summary>
    public static bool HasFlattrButton(this IPublishedContent? content, HttpContext httpContext, string? culture = null) =>
        Buttons(httpContext).GetButton(content, culture) is not null;

    /// <summary>The article's Flattr button as HTML, or nothing.</summary>
    public static IHtmlContent FlattrButton(this IPublishedContent? content, HttpContext httpContext, ButtonStyle? style = null, string? culture = null) =>
        Buttons(httpContext).GetButton(content, culture)?.ToHtml(style) ?? HtmlString.Empty;

    /// <summary>The article's signed Flattr link, or null.</summary>
    public static Uri? FlattrLink(this IPublishedContent? content, HttpContext httpContext, string? culture = null) =>
        Buttons(httpContext).GetButton(content, culture)?.Href;

    /// <summary>The article's Atom <c>link rel="payment"</c> element for a feed entry or item, or null.</summary>
    public static XElement? FlattrFeedLink(this IPublishedContent? content, HttpContext httpContext, string? culture = null) =>
        Buttons(httpContext).GetButton(content, culture) is { } button ? ButtonRenderer.CreateFeedLink(button.Href) : null;

    private static IFlattrButtons Buttons(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return httpContext.RequestServices.GetRequiredService<IFlattrButtons>();
    }
}
