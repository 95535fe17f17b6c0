using Flattr.Umbraco.Configuration;
using Umbraco.Cms.Core.Models.PublishedContent;

namespace Flattr.Umbraco.Rendering;

/// <summary>
/// Decides whether an article gets a Flattr button and builds it. Inject it into views or controllers; the tag helpers,
/// the view component and the <see cref="FlattrPublishedContentExtensions"/> all use it.
/// </summary>
public interface IFlattrButtons
{
    /// <summary>
    /// The button for <paramref name="content"/>, or null when nothing should render: no content, a document type
    /// without the Flattr toggle, the toggle switched off, content that is not published (or only a draft in preview),
    /// protected by public access rules, or without a public URL.
    /// </summary>
    FlattrButtonModel? GetButton(IPublishedContent? content, string? culture = null);

    /// <summary>The page currently being rendered by Umbraco, if any.</summary>
    IPublishedContent? CurrentPage { get; }

    /// <summary>The site's settings (style and placement), for callers that render buttons themselves.</summary>
    FlattrOptions Options { get; }
}
