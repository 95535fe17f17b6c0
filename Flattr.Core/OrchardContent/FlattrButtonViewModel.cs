using System.Globalization;
using Flattr.Buttons;
using Flattr.Protocol;

namespace Flattr.OrchardContent;

/// <summary>
/// What a template needs to lay out a Flattr button exactly as <see cref="ButtonRenderer.RenderButton"/> does: every value
/// is computed here (the signed link, the accessible name, the count as text), so the template only places them.
/// Orchard Core's Liquid view <c>FlattrPart.liquid</c> renders it; Orchard builds shapes from it by subclassing, which
/// is why it is an unsealed class with settable properties.
/// </summary>
public class FlattrButtonViewModel
{
    /// <summary>The signed link to the Hub.</summary>
    public string Href { get; set; } = string.Empty;

    /// <summary>The style's CSS modifier: <c>default</c>, <c>compact</c> or <c>text</c>.</summary>
    public string Style { get; set; } = "default";

    /// <summary>The visible label.</summary>
    public string Label { get; set; } = ButtonLabels.English.Label;

    /// <summary>The link's accessible name (<c>aria-label</c>).</summary>
    public string AccessibleName { get; set; } = string.Empty;

    /// <summary>The flattr count as digits, or null when unknown.</summary>
    public string? Count { get; set; }

    /// <summary>A model for <paramref name="content"/> in <paramref name="style"/>.</summary>
    public static FlattrButtonViewModel Create(ButtonContent content, ButtonStyle style = ButtonStyle.Default, ButtonLabels? labels = null)
    {
        var model = new FlattrButtonViewModel();
        model.Populate(content, style, labels);
        return model;
    }

    /// <summary>
    /// The button for a mapped content item, with a link signed by the installation; null when the item is not
    /// <see cref="ContentEligibility.Eligible"/> or the settings lack the Hub address or installation id.
    /// </summary>
    /// <param name="mapping">The item, from <see cref="OrchardContentMapper.Map"/>.</param>
    /// <param name="settings">The site's settings.</param>
    /// <param name="secret">The installation secret, unprotected.</param>
    /// <param name="count">The flattr count, if the site knows it.</param>
    /// <param name="labels">The words of the button, to translate it.</param>
    public static FlattrButtonViewModel? ForContent(
        OrchardContentMapping mapping,
        FlattrCreatorSettings settings,
        string secret,
        long? count = null,
        ButtonLabels? labels = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (!mapping.IsEligible || mapping.Thing is null || settings.GetHubUri() is not { } hub || string.IsNullOrWhiteSpace(settings.InstallationId))
        {
            return null;
        }

        var installationId = settings.InstallationId.Trim();
        var thing = ThingValidation.ToThing(installationId, mapping.ContentItemId, mapping.Thing);
        var link = new ThingLink(installationId, thing.ExternalId, thing.Url, thing.Title, thing.Category, thing.Language,
            thing.Creator.ExternalId, thing.Creator.Name);
        var content = new ButtonContent(FlattrLinks.Create(hub, secret, link), thing.Title, thing.Creator.Name, count);
        return Create(content, settings.ButtonStyle, labels);
    }

    /// <summary>Sets every property from <paramref name="content"/>, for hosts that create the instance themselves (Orchard's shape factory).</summary>
    public void Populate(ButtonContent content, ButtonStyle style = ButtonStyle.Default, ButtonLabels? labels = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        labels ??= ButtonLabels.English;
        Href = content.Href.AbsoluteUri;
        Style = style.ToString().ToLowerInvariant();
        Label = labels.Label;
        AccessibleName = ButtonRenderer.AccessibleName(content, labels);
        Count = content.Count?.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Copies every property from <paramref name="other"/>.</summary>
    public void CopyFrom(FlattrButtonViewModel other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Href = other.Href;
        Style = other.Style;
        Label = other.Label;
        AccessibleName = other.AccessibleName;
        Count = other.Count;
    }
}
