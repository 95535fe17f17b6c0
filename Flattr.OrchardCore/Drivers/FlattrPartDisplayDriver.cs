using Flattr.OrchardContent;
using Flattr.OrchardCore.Models;
using Flattr.OrchardCore.Services;
using OrchardCore;
using OrchardCore.ContentManagement.Display.ContentDisplay;
using OrchardCore.ContentManagement.Display.Models;
using OrchardCore.DisplayManagement.Views;

namespace Flattr.OrchardCore.Drivers;

/// <summary>
/// Shows the item's Flattr button: Flattr.Core maps the item and signs its link, and <c>Views/FlattrPart.liquid</c>
/// lays out the <see cref="FlattrButtonViewModel"/>. Items that are not things (a draft, switched off, no address) and
/// sites whose settings are incomplete show no button.
/// </summary>
public sealed class FlattrPartDisplayDriver(FlattrSiteSettings siteSettings) : ContentPartDisplayDriver<FlattrPart>
{
    /// <inheritdoc/>
    public override async Task<IDisplayResult?> DisplayAsync(FlattrPart part, BuildPartDisplayContext context)
    {
        var state = await siteSettings.LoadAsync();
        if (!state.IsConfigured)
        {
            return null;
        }

        var mapping = OrchardContentMapper.Map(
            ContentItemJson.From(part.ContentItem),
            state.Settings,
            state.SiteBaseUrl!,
            context.TypePartDefinition.GetSettings<FlattrPartSettings>());
        if (FlattrButtonViewModel.ForContent(mapping, state.Settings, state.Secret!) is not { } button)
        {
            return null;
        }

        return Initialize<FlattrButtonViewModel>(GetDisplayShapeType(context), model => model.CopyFrom(button))
            .Location(OrchardCoreConstants.DisplayType.Detail, "Content:after")
            .Location(OrchardCoreConstants.DisplayType.Summary, "Meta:after");
    }
}
