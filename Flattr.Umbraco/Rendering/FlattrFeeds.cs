using System.Xml.Linq;
using Flattr.Buttons;
using Umbraco.Cms.Core.Models.PublishedContent;

namespace Flattr.Umbraco.Rendering;

/// <summary>
/// Payment links in RSS and Atom feeds: an Atom <c>&lt;atom:link rel="payment" href="…" type="text/html"/&gt;</c> per
/// item or entry, so feed readers can offer a Flattr button.
/// </summary>
public static class FlattrFeeds
{
    /// <summary>The Atom namespace.</summary>
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    /// <summary>Declares <c>xmlns:atom</c> on an RSS root, so the links in its items are written with the <c>atom:</c> prefix.</summary>
    public static void DeclareAtomNamespace(XElement rss)
    {
        ArgumentNullException.ThrowIfNull(rss);
        if (rss.Name.Namespace != Atom)
        {
            rss.SetAttributeValue(XNamespace.Xmlns + "atom", Atom.NamespaceName);
        }
    }

    /// <summary>
    /// Adds <paramref name="content"/>'s payment link to an RSS <c>item</c> or Atom <c>entry</c>. Returns false, adding
    /// nothing, when the article has no button.
    /// </summary>
    public static bool AddPaymentLink(XElement itemOrEntry, IPublishedContent? content, IFlattrButtons buttons, string? culture = null)
    {
        ArgumentNullException.ThrowIfNull(itemOrEntry);
        ArgumentNullException.ThrowIfNull(buttons);
        if (buttons.GetButton(content, culture) is not { } button)
        {
            return false;
        }

        itemOrEntry.Add(ButtonRenderer.CreateFeedLink(button.Href));
        return true;
    }
}
