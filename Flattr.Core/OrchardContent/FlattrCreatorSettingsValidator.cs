using Flattr.Things;

namespace Flattr.OrchardContent;

/// <summary>One thing wrong with a site's Flattr settings.</summary>
/// <param name="Field">The setting concerned: a property name of <see cref="FlattrCreatorSettings"/>, or <see cref="FlattrCreatorSettingsValidator.SiteBaseUrlField"/>.</param>
/// <param name="Message">What is wrong and how to fix it, in words a site owner understands.</param>
public sealed record FlattrSettingsProblem(string Field, string Message);

/// <summary>Checks a site's <see cref="FlattrCreatorSettings"/> before they are saved and before the site talks to its Hub.</summary>
public static class FlattrCreatorSettingsValidator
{
    /// <summary>The field name used for problems with the site's own base address (Orchard Core: Settings → General → Base URL).</summary>
    public const string SiteBaseUrlField = "SiteBaseUrl";

    /// <summary>
    /// Every problem with <paramref name="settings"/>; an empty list means the site can sync and sign buttons.
    /// <paramref name="siteBaseUrl"/> is the site's public base address: background sync has no request to take it from.
    /// </summary>
    public static IReadOnlyList<FlattrSettingsProblem> Validate(FlattrCreatorSettings settings, string? siteBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<FlattrSettingsProblem>();
        void Add(string field, string message) => problems.Add(new FlattrSettingsProblem(field, message));

        if (string.IsNullOrWhiteSpace(settings.HubUrl))
        {
            Add(nameof(settings.HubUrl), "Enter the address of your Flattr Hub, for example https://hub.example.org/.");
        }
        else if (settings.GetHubUri() is not { } hub)
        {
            Add(nameof(settings.HubUrl), $"'{settings.HubUrl}' is not a web address. Enter the Hub's full address, starting with https://.");
        }
        else if (!string.IsNullOrEmpty(hub.Query) || !string.IsNullOrEmpty(hub.Fragment))
        {
            Add(nameof(settings.HubUrl), "Enter the Hub's address without anything after a '?' or '#'.");
        }

        if (string.IsNullOrWhiteSpace(settings.InstallationId))
        {
            Add(nameof(settings.InstallationId), "Enter the installation id your hub admin gave you when they registered this site.");
        }
        else if (settings.InstallationId.Trim().Length > ThingLimits.ExternalIdLength || settings.InstallationId.Any(char.IsControl))
        {
            Add(nameof(settings.InstallationId), "The installation id is not the one the Hub issued: copy it again from your hub admin's message.");
        }

        if (string.IsNullOrEmpty(settings.ProtectedSecret))
        {
            Add(nameof(settings.ProtectedSecret),
                "Enter the installation secret. The Hub shows it once, when the hub admin registers this site or rotates its secret.");
        }

        CheckCreator(settings, Add);

        if (!Enum.IsDefined(settings.ButtonStyle))
        {
            Add(nameof(settings.ButtonStyle), "Choose a button style: Default, Compact or Text.");
        }

        if (!Enum.IsDefined(settings.CreatorMode))
        {
            Add(nameof(settings.CreatorMode), "Choose who receives the flattrs: the site's creator or each item's owner.");
        }

        if (string.IsNullOrWhiteSpace(siteBaseUrl))
        {
            Add(SiteBaseUrlField,
                "Set this site's Base URL (Settings → General). Flattr tells the Hub where your items live, and background sync has no visitor's request to take the address from.");
        }
        else if (!Uri.TryCreate(siteBaseUrl.Trim(), UriKind.Absolute, out var site) || (site.Scheme != Uri.UriSchemeHttps && site.Scheme != Uri.UriSchemeHttp))
        {
            Add(SiteBaseUrlField, $"This site's Base URL '{siteBaseUrl}' (Settings → General) must be a full address starting with https://.");
        }

        return problems;
    }

    private static void CheckCreator(FlattrCreatorSettings settings, Action<string, string> add)
    {
        var id = settings.DefaultCreatorId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            if (settings.CreatorMode == FlattrCreatorMode.SiteCreator)
            {
                add(nameof(settings.DefaultCreatorId),
                    "Enter the creator id that receives the flattrs of this site's items, for example your name in lower case. It is how the Hub knows who to pay.");
            }
        }
        else if (id.Length > ThingLimits.ExternalIdLength)
        {
            add(nameof(settings.DefaultCreatorId), $"The creator id must be at most {ThingLimits.ExternalIdLength} characters.");
        }
        else if (id.Any(char.IsControl))
        {
            add(nameof(settings.DefaultCreatorId), "The creator id must not contain line breaks or other control characters.");
        }

        var name = settings.DefaultCreatorName;
        if (name is not null && (name.Length > ThingLimits.CreatorNameLength || name.Any(char.IsControl)))
        {
            add(nameof(settings.DefaultCreatorName),
                $"The creator's name must be one line of at most {ThingLimits.CreatorNameLength} characters.");
        }
    }
}
