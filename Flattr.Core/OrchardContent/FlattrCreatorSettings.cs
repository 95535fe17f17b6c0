using Flattr.Buttons;
using Flattr.HubClient;

namespace Flattr.OrchardContent;

/// <summary>Who receives the flattrs of an item that names no creator of its own.</summary>
public enum FlattrCreatorMode
{
    /// <summary>The site's default creator (<see cref="FlattrCreatorSettings.DefaultCreatorId"/>).</summary>
    SiteCreator,

    /// <summary>The user who owns the item (its <c>Owner</c>), so each author of a multi-author site is paid for their own items.</summary>
    ContentOwner,
}

/// <summary>
/// A site's Flattr settings, one set per Orchard Core tenant. Orchard Core stores them as a site settings section named
/// <c>FlattrCreatorSettings</c> (<c>Site.Properties.FlattrCreatorSettings</c> in Liquid and in a recipe's <c>Settings</c>
/// step), which is why this is a plain class with a parameterless constructor and settable properties.
/// Check them with <see cref="FlattrCreatorSettingsValidator"/>.
/// </summary>
public sealed class FlattrCreatorSettings
{
    /// <summary>The name of the site settings section (and of the recipe <c>Settings</c> step property) holding these settings.</summary>
    public const string SectionName = nameof(FlattrCreatorSettings);

    /// <summary>The Hub's base address, for example <c>https://hub.example.org/</c>.</summary>
    public string? HubUrl { get; set; }

    /// <summary>The installation id the hub admin issued when they registered the site.</summary>
    public string? InstallationId { get; set; }

    /// <summary>
    /// The installation secret as the host protected it (Orchard Core: ASP.NET Core Data Protection). Flattr.Core never
    /// reads it; it only checks that one is present. The host unprotects it for <see cref="ApplyTo"/>.
    /// </summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>The creator id that receives flattrs for items that name no creator (and, with <see cref="FlattrCreatorMode.ContentOwner"/>, for items without an owner).</summary>
    public string? DefaultCreatorId { get; set; }

    /// <summary>The default creator's name, shown to readers in the button's accessible name.</summary>
    public string? DefaultCreatorName { get; set; }

    /// <summary>Who receives the flattrs of an item that names no creator of its own.</summary>
    /// <value>The default value is <see cref="FlattrCreatorMode.SiteCreator"/>.</value>
    public FlattrCreatorMode CreatorMode { get; set; } = FlattrCreatorMode.SiteCreator;

    /// <summary>Whether an item shows a button when its <c>FlattrPart.Enabled</c> toggle was never saved (the part was attached after the item was created).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool DefaultEnabled { get; set; } = true;

    /// <summary>How buttons look on this site.</summary>
    /// <value>The default value is <see cref="ButtonStyle.Default"/>.</value>
    public ButtonStyle ButtonStyle { get; set; } = ButtonStyle.Default;

    /// <summary>The Hub address as a URI, or null when it is missing or not an absolute http(s) address.</summary>
    public Uri? GetHubUri() =>
        Uri.TryCreate(HubUrl?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : null;

    /// <summary>Copies the Hub address, installation id and <paramref name="secret"/> (unprotected by the host) into the Hub client's options.</summary>
    public void ApplyTo(FlattrHubOptions options, string? secret)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.HubUrl = GetHubUri();
        options.InstallationId = InstallationId?.Trim();
        options.Secret = secret;
    }
}
