using Flattr.Umbraco.Configuration;
using Flattr.Umbraco.Content;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Umbraco.Cms.Core;
using Umbraco.Cms.Core.Events;
using Umbraco.Cms.Core.Models;
using Umbraco.Cms.Core.Notifications;
using Umbraco.Cms.Core.Services;
using Umbraco.Cms.Core.Strings;
using Umbraco.Cms.Core.Sync;

namespace Flattr.Umbraco.Installing;

/// <summary>
/// Creates what Flattr needs in the site's schema once Umbraco runs normally (never while it installs or upgrades,
/// and only on the server that runs scheduled work): a "Flattr: show button" True/False data type whose initial state
/// is the site's <see cref="FlattrOptions.EnabledByDefault"/>, the <c>Flattr</c> composition with the toggle and the
/// creator override, and that composition on each configured document type.
/// Every step it completes is recorded in <see cref="IKeyValueService"/> under <c>Flattr.Installer.*</c> and never done
/// again: if an editor later deletes the composition or takes it off a document type, it stays that way. A step that
/// could not be done (a document type that does not exist yet, a database error) is tried again on the next start.
/// </summary>
internal sealed class FlattrInstaller(
    IRuntimeState runtimeState,
    IServerRoleAccessor serverRoles,
    IKeyValueService keyValues,
    IContentTypeService contentTypes,
    IDataTypeService dataTypes,
    IShortStringHelper shortStrings,
    IOptionsMonitor<FlattrOptions> options,
    ILogger<FlattrInstaller> logger)
    : INotificationAsyncHandler<UmbracoApplicationStartedNotification>
{
    public const string DataTypeKey = "Flattr.Installer.DataType";
    public const string CompositionKey = "Flattr.Installer.Composition";
    public const string DocumentTypePrefix = "Flattr.Installer.DocumentType.";
    public const string DataTypeName = "Flattr: show button";

    public async Task HandleAsync(UmbracoApplicationStartedNotification notification, CancellationToken cancellationToken)
    {
        if (runtimeState.Level != RuntimeLevel.Run)
        {
            Log.InstallerSkipped(logger, runtimeState.Level);
            return;
        }

        // On a load-balanced site only one server changes the schema; the others see the result.
        if (serverRoles.CurrentServerRole is not (ServerRole.Single or ServerRole.SchedulingPublisher))
        {
            return;
        }

        try
        {
            await InstallAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The site must start even if this fails; nothing half-done is recorded, so the next start tries again.
            Log.InstallerCrashed(logger, e);
        }
    }

    internal async Task InstallAsync()
    {
        var composition = await EnsureCompositionAsync().ConfigureAwait(false);
        if (composition is null)
        {
            return;
        }

        foreach (var alias in options.CurrentValue.DocumentTypes.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            await EnsureComposedAsync(alias, composition).ConfigureAwait(false);
        }
    }

    private async Task<IContentType?> EnsureCompositionAsync()
    {
        if (keyValues.GetValue(CompositionKey) is { Length: > 0 } recorded)
        {
            var existing = Guid.TryParse(recorded, out var key) ? contentTypes.Get(key) : null;
            if (existing is null)
            {
                Log.CompositionGone(logger);
            }

            return existing;
        }

        // Someone made one by hand (or a previous install was restored without its key-value rows): adopt it as it is.
        if (contentTypes.Get(FlattrAliases.Composition) is { } adopted)
        {
            keyValues.SetValue(CompositionKey, adopted.Key.ToString("D"));
            return adopted;
        }

        var toggle = await EnsureToggleDataTypeAsync().ConfigureAwait(false);
        var text = await dataTypes.GetAsync(Constants.DataTypes.Guids.TextstringGuid).ConfigureAwait(false);
        if (toggle is null || text is null)
        {
            Log.InstallerStepFailed(logger, "find the True/False and Textstring data types", "missing");
            return null;
        }

        var composition = new ContentType(shortStrings, -1)
        {
            Alias = FlattrAliases.Composition,
            Name = "Flattr",
            Description = "Adds a Flattr button to pages of this type, so readers can support the author.",
            Icon = "icon-coin color-orange",
            IsElement = false,
        };
        composition.AddPropertyGroup(FlattrAliases.Group, "Flattr");
        composition.AddPropertyType(
            new PropertyType(shortStrings, toggle, FlattrAliases.Enabled)
            {
                Name = "Show Flattr button",
                Description = "Show a Flattr button on this page and list it on the Flattr Hub.",
                SortOrder = 0,
            },
            FlattrAliases.Group,
            "Flattr");
        composition.AddPropertyType(
            new PropertyType(shortStrings, text, FlattrAliases.Creator)
            {
                Name = "Flattr creator",
                Description = "Who receives this page's flattrs, as a creator id on the Hub. Leave empty to credit the page's author.",
                SortOrder = 1,
            },
            FlattrAliases.Group,
            "Flattr");

        var created = await contentTypes.CreateAsync(composition, Constants.Security.SuperUserKey).ConfigureAwait(false);
        if (!created.Success)
        {
            Log.InstallerStepFailed(logger, "create the Flattr composition", created.Result.ToString());
            return null;
        }

        keyValues.SetValue(CompositionKey, composition.Key.ToString("D"));
        Log.InstallerCreated(logger, "composition", composition.Name!);
        return composition;
    }

    private async Task<IDataType?> EnsureToggleDataTypeAsync()
    {
        if (keyValues.GetValue(DataTypeKey) is { Length: > 0 } recorded && Guid.TryParse(recorded, out var key)
            && await dataTypes.GetAsync(key).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        if (await dataTypes.GetAsync(DataTypeName).ConfigureAwait(false) is { } named)
        {
            keyValues.SetValue(DataTypeKey, named.Key.ToString("D"));
            return named;
        }

        // A copy of Umbraco's own True/False data type whose initial state is the site's default, so new pages start
        // the way the site owner chose; editors can change it later under Settings > Data Types.
        var checkbox = await dataTypes.GetAsync(Constants.DataTypes.Guids.CheckboxGuid).ConfigureAwait(false);
        if (checkbox is null)
        {
            return null;
        }

        var toggle = checkbox.DeepCloneWithResetIdentities();
        toggle.Name = DataTypeName;
        toggle.ConfigurationData = new Dictionary<string, object>(checkbox.ConfigurationData, StringComparer.Ordinal)
        {
            ["default"] = options.CurrentValue.EnabledByDefault,
        };
        var created = await dataTypes.CreateAsync(toggle, Constants.Security.SuperUserKey).ConfigureAwait(false);
        if (!created.Success || created.Result is not { } saved)
        {
            Log.InstallerStepFailed(logger, "create the data type '" + DataTypeName + "'", created.Status.ToString());
            return null;
        }

        keyValues.SetValue(DataTypeKey, saved.Key.ToString("D"));
        Log.InstallerCreated(logger, "data type", DataTypeName);
        return saved;
    }

    private async Task EnsureComposedAsync(string alias, IContentType composition)
    {
        var recordKey = DocumentTypePrefix + alias;
        if (keyValues.GetValue(recordKey) is { Length: > 0 })
        {
            return; // done on an earlier start; whatever an editor changed since stays as it is
        }

        var documentType = contentTypes.Get(alias);
        if (documentType is null)
        {
            Log.DocumentTypeMissing(logger, alias);
            return;
        }

        if (documentType.ContentTypeCompositionExists(composition.Alias) || documentType.CompositionPropertyTypes.Any(p => p.Alias == FlattrAliases.Enabled))
        {
            keyValues.SetValue(recordKey, "present");
            return;
        }

        documentType.AddContentType(composition);
        var updated = await contentTypes.UpdateAsync(documentType, Constants.Security.SuperUserKey).ConfigureAwait(false);
        if (!updated.Success)
        {
            Log.InstallerStepFailed(logger, "add the Flattr composition to '" + alias + "'", updated.Result.ToString());
            return;
        }

        keyValues.SetValue(recordKey, "added");
        Log.InstallerComposed(logger, alias);
    }
}
