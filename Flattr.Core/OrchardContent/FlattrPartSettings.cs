using Flattr.Things;

namespace Flattr.OrchardContent;

/// <summary>
/// How one content type's items are described to the Hub, set where <c>FlattrPart</c> is attached to the type
/// (Orchard Core stores it in the type's part settings as <c>FlattrPartSettings</c>).
/// </summary>
public sealed class FlattrPartSettings
{
    /// <summary>The category of the type's items, as a wire name such as <c>text</c> or <c>audio</c>.</summary>
    /// <value>The default value is <c>text</c>.</value>
    public string? Category { get; set; } = "text";

    /// <summary>True to keep the type's items out of the Hub's public listings (they can still be flattred).</summary>
    public bool Hidden { get; set; }

    /// <summary>The category, or <see cref="ThingCategory.Text"/> when it is missing or unknown.</summary>
    public ThingCategory GetCategory() => ThingCategories.TryParse(Category, out var category) ? category : ThingCategory.Text;

    /// <summary>Problems an editor must fix before saving; empty when the settings are valid.</summary>
    public IReadOnlyList<FlattrSettingsProblem> Validate() =>
        Category is null || ThingCategories.TryParse(Category, out _)
            ? []
            : [new FlattrSettingsProblem(nameof(Category), $"'{Category}' is not a category; choose one of: {string.Join(", ", ThingCategories.WireNames)}.")];
}
