using OrchardCore.Data.Migration;
using OrchardCore.Recipes.Services;

namespace Flattr.OrchardCore;

/// <summary>
/// Defines <c>FlattrPart</c> and its fields by running <c>Migrations/flattr-part.recipe.json</c>, the same definition
/// the recipe-only edition imports (Flattr.OrchardCore.Recipe.Tests checks they agree), so a site can move from the
/// recipe to the module without touching its content.
/// </summary>
public sealed class Migrations(IRecipeMigrator recipeMigrator) : DataMigration
{
    /// <summary>The first version.</summary>
    public async Task<int> CreateAsync()
    {
        await recipeMigrator.ExecuteAsync("flattr-part.recipe.json", this);
        return 1;
    }
}
