using Flattr.Umbraco.Configuration;
using Microsoft.Extensions.Options;
using Umbraco.Cms.Core.Models.PublishedContent;
using Umbraco.Cms.Core.Routing;
using Umbraco.Cms.Core.Web;

namespace Flattr.Umbraco.Sync;

/// <summary>
/// Finds a document's public address from Umbraco's published cache. Background threads have no Umbraco context, so
/// one is ensured for the lookup. A relative URL (no domain assigned in Umbraco) is made absolute with
/// <see cref="FlattrOptions.SiteUrl"/>, or with the current request's address when rendering.
/// </summary>
internal sealed class ThingUrlResolver(IUmbracoContextFactory contextFactory, IPublishedUrlProvider urls, IOptionsMonitor<FlattrOptions> options)
{
    /// <summary>The document's absolute http(s) URL, or null while it has none (not published yet, or no domain and no SiteUrl).</summary>
    public string? Resolve(Guid documentKey, string? culture = null)
    {
        using var context = contextFactory.EnsureUmbracoContext();
        return Absolute(urls.GetUrl(documentKey, UrlMode.Absolute, culture), options.CurrentValue.SiteUrl);
    }

    /// <summary>The published content's absolute http(s) URL, or null.</summary>
    public string? Resolve(IPublishedContent content, string? culture, Uri? requestBase) =>
        Absolute(urls.GetUrl(content, UrlMode.Absolute, culture), options.CurrentValue.SiteUrl ?? requestBase);

    /// <summary>Makes <paramref name="url"/> absolute against <paramref name="siteUrl"/>; null when that is not possible.</summary>
    public static string? Absolute(string? url, Uri? siteUrl)
    {
        // Umbraco answers "#" for content it cannot route.
        if (string.IsNullOrWhiteSpace(url) || url == "#")
        {
            return null;
        }

        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(url, UriKind.Absolute, out var absolute) ? absolute.AbsoluteUri : null;
        }

        if (siteUrl is not null && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal))
        {
            return new Uri(siteUrl, url).AbsoluteUri;
        }

        return null;
    }
}
