using Flattr.OrchardContent;
using Flattr.OrchardCore.Services;
using Flattr.OrchardCore.ViewModels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using OrchardCore.DisplayManagement.Entities;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.DisplayManagement.Views;
using OrchardCore.Environment.Shell;
using OrchardCore.Settings;

namespace Flattr.OrchardCore.Drivers;

/// <summary>
/// Settings → Flattr: the Hub address, the installation id and secret, the site's creator and how buttons look, with
/// Flattr.Core's validation and the state of the tenant's sync queue.
/// </summary>
public sealed class FlattrSettingsDisplayDriver(
    FlattrSiteSettings siteSettings,
    OrchardContentSync sync,
    IShellReleaseManager shellReleaseManager,
    IHttpContextAccessor httpContextAccessor,
    IAuthorizationService authorizationService) : SiteDisplayDriver<FlattrCreatorSettings>
{
    /// <summary>The settings group (the <c>groupId</c> of the settings page).</summary>
    public const string GroupId = "flattr";

    /// <inheritdoc/>
    protected override string SettingsGroupId => GroupId;

    /// <inheritdoc/>
    public override async Task<IDisplayResult?> EditAsync(ISite site, FlattrCreatorSettings settings, BuildEditorContext context)
    {
        if (!await IsAuthorizedAsync())
        {
            return null;
        }

        context.AddTenantReloadWarningWrapper();
        var status = await sync.GetStatusAsync();
        var failed = await sync.GetFailedAsync(10);
        var problems = FlattrCreatorSettingsValidator.Validate(settings, site.BaseUrl);

        return Initialize<FlattrSettingsViewModel>("FlattrCreatorSettings_Edit", model =>
        {
            model.HubUrl = settings.HubUrl;
            model.InstallationId = settings.InstallationId;
            model.HasSecret = !string.IsNullOrEmpty(settings.ProtectedSecret);
            model.DefaultCreatorId = settings.DefaultCreatorId;
            model.DefaultCreatorName = settings.DefaultCreatorName;
            model.CreatorMode = settings.CreatorMode;
            model.DefaultEnabled = settings.DefaultEnabled;
            model.ButtonStyle = settings.ButtonStyle;
            model.Problems = problems;
            model.Pending = status.Pending;
            model.Failed = status.Failed;
            model.OldestPendingAt = status.OldestEnqueuedAt;
            model.FailedItems = failed;
        }).Location("Content:5").OnGroup(SettingsGroupId);
    }

    /// <inheritdoc/>
    public override async Task<IDisplayResult?> UpdateAsync(ISite site, FlattrCreatorSettings settings, UpdateEditorContext context)
    {
        if (!await IsAuthorizedAsync())
        {
            return null;
        }

        var model = new FlattrSettingsViewModel();
        await context.Updater.TryUpdateModelAsync(model, Prefix);

        settings.HubUrl = model.HubUrl?.Trim();
        settings.InstallationId = model.InstallationId?.Trim();
        settings.DefaultCreatorId = model.DefaultCreatorId?.Trim();
        settings.DefaultCreatorName = string.IsNullOrWhiteSpace(model.DefaultCreatorName) ? null : model.DefaultCreatorName.Trim();
        settings.CreatorMode = model.CreatorMode;
        settings.DefaultEnabled = model.DefaultEnabled;
        settings.ButtonStyle = model.ButtonStyle;
        if (!string.IsNullOrWhiteSpace(model.Secret))
        {
            // A blank field keeps the stored secret: it is never sent back to the browser.
            settings.ProtectedSecret = siteSettings.Protect(model.Secret.Trim());
        }

        // The site's Base URL lives on another settings page: it is shown there, not held against this form.
        foreach (var problem in FlattrCreatorSettingsValidator.Validate(settings, site.BaseUrl)
            .Where(p => p.Field != FlattrCreatorSettingsValidator.SiteBaseUrlField))
        {
            context.Updater.ModelState.AddModelError(Prefix + "." + FormField(problem.Field), problem.Message);
        }

        // The Hub client's options are computed once per tenant: release it so the next request reads these.
        shellReleaseManager.RequestRelease();
        return await EditAsync(site, settings, context);
    }

    private static string FormField(string settingsField) =>
        settingsField == nameof(FlattrCreatorSettings.ProtectedSecret) ? nameof(FlattrSettingsViewModel.Secret) : settingsField;

    private Task<bool> IsAuthorizedAsync() =>
        authorizationService.AuthorizeAsync(httpContextAccessor.HttpContext?.User, FlattrPermissions.ManageFlattrSettings);
}
