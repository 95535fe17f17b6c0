using Flattr.OrchardContent;
using Flattr.OrchardCore.Models;
using Flattr.OrchardCore.ViewModels;
using Flattr.Things;
using OrchardCore.ContentManagement.Metadata.Models;
using OrchardCore.ContentTypes.Editors;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.DisplayManagement.Views;

namespace Flattr.OrchardCore.Drivers;

/// <summary>Edits, where FlattrPart is attached to a content type, how the type's items are described to the Hub.</summary>
public sealed class FlattrPartSettingsDisplayDriver : ContentTypePartDefinitionDisplayDriver<FlattrPart>
{
    /// <inheritdoc/>
    public override IDisplayResult Edit(ContentTypePartDefinition model, BuildEditorContext context) =>
        Initialize<FlattrPartSettingsViewModel>("FlattrPartSettings_Edit", viewModel =>
        {
            var settings = model.GetSettings<FlattrPartSettings>();
            viewModel.Category = settings.Category;
            viewModel.Hidden = settings.Hidden;
            viewModel.Categories = ThingCategories.WireNames;
        }).Location("Content");

    /// <inheritdoc/>
    public override async Task<IDisplayResult> UpdateAsync(ContentTypePartDefinition model, UpdateTypePartEditorContext context)
    {
        var viewModel = new FlattrPartSettingsViewModel();
        await context.Updater.TryUpdateModelAsync(viewModel, Prefix, m => m.Category, m => m.Hidden);

        var settings = new FlattrPartSettings { Category = viewModel.Category?.Trim(), Hidden = viewModel.Hidden };
        var problems = settings.Validate();
        foreach (var problem in problems)
        {
            context.Updater.ModelState.AddModelError(Prefix + "." + problem.Field, problem.Message);
        }

        if (problems.Count == 0)
        {
            context.Builder.WithSettings(settings);
        }

        return Edit(model, context);
    }
}
