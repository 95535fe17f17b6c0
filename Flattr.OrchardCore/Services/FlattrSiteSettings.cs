using System.Security.Cryptography;
using Flattr.HubClient;
using Flattr.OrchardContent;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using OrchardCore.Entities;
using OrchardCore.Settings;

namespace Flattr.OrchardCore.Services;

/// <summary>One tenant's Flattr settings as a request or a background run needs them.</summary>
/// <param name="Settings">The settings section.</param>
/// <param name="Secret">The installation secret, unprotected; null when none is stored or it can no longer be read.</param>
/// <param name="SiteBaseUrl">The tenant's Base URL (Settings → General), null when it is not a web address.</param>
/// <param name="Problems">What stops the site from signing buttons and syncing; empty when nothing does.</param>
public sealed record FlattrSiteState(
    FlattrCreatorSettings Settings,
    string? Secret,
    Uri? SiteBaseUrl,
    IReadOnlyList<FlattrSettingsProblem> Problems)
{
    /// <summary>True when buttons can be signed and items synced.</summary>
    public bool IsConfigured => Problems.Count == 0 && Secret is not null && SiteBaseUrl is not null;
}

/// <summary>
/// Reads and protects the tenant's <see cref="FlattrCreatorSettings"/> (site settings section <c>FlattrCreatorSettings</c>).
/// The installation secret is stored protected with ASP.NET Core Data Protection, as Orchard Core's own modules store
/// API secrets.
/// </summary>
public sealed class FlattrSiteSettings(ISiteService siteService, IDataProtectionProvider dataProtectionProvider)
{
    private const string ProtectorPurpose = "Flattr.OrchardCore.InstallationSecret";

    /// <summary>The settings, the unprotected secret and whatever stops them from working.</summary>
    public async Task<FlattrSiteState> LoadAsync()
    {
        var site = await siteService.GetSiteSettingsAsync();
        return Evaluate(site.GetOrCreate<FlattrCreatorSettings>(), site.BaseUrl);
    }

    /// <summary>The same, read synchronously, for options configuration (site settings are preloaded per tenant).</summary>
    public FlattrSiteState Load()
    {
        var site = siteService.GetSiteSettings();
        return Evaluate(site.GetOrCreate<FlattrCreatorSettings>(), site.BaseUrl);
    }

    /// <summary>Protects a secret typed by the site owner for storage in the settings.</summary>
    public string Protect(string secret) => dataProtectionProvider.CreateProtector(ProtectorPurpose).Protect(secret);

    private FlattrSiteState Evaluate(FlattrCreatorSettings settings, string? baseUrl)
    {
        var problems = FlattrCreatorSettingsValidator.Validate(settings, baseUrl).ToList();
        string? secret = null;
        if (!string.IsNullOrEmpty(settings.ProtectedSecret))
        {
            try
            {
                secret = dataProtectionProvider.CreateProtector(ProtectorPurpose).Unprotect(settings.ProtectedSecret);
            }
            catch (CryptographicException)
            {
                problems.Add(new FlattrSettingsProblem(
                    nameof(FlattrCreatorSettings.ProtectedSecret),
                    "The stored installation secret can no longer be read (this site's data protection keys changed): enter it again."));
            }
        }

        var site = Uri.TryCreate(baseUrl?.Trim(), UriKind.Absolute, out var uri) ? uri : null;
        return new FlattrSiteState(settings, secret, site, problems);
    }
}

/// <summary>
/// Gives the Hub client (<c>AddFlattrHubClient</c>) the tenant's Hub address, installation id and secret. Options are
/// computed once per tenant; saving the Flattr settings releases the tenant, so the next request reads the new ones.
/// </summary>
public sealed class FlattrHubOptionsSetup(FlattrSiteSettings siteSettings) : IConfigureOptions<FlattrHubOptions>
{
    /// <inheritdoc/>
    public void Configure(FlattrHubOptions options)
    {
        var state = siteSettings.Load();
        state.Settings.ApplyTo(options, state.Secret);
    }
}
