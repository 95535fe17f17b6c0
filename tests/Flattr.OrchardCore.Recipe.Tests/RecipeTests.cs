using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Flattr.OrchardContent;

namespace Flattr.OrchardCore.Recipe.Tests;

/// <summary>
/// The recipe-only edition (<c>Declarative/flattr.recipe.json</c>) and the module's migration recipe
/// (<c>Migrations/flattr-part.recipe.json</c>) against the shapes Orchard Core 3.0 reads. Each allowed key below names
/// the Orchard Core 3.0.1 file that defines it, so a typo (which Orchard would silently ignore) fails here.
/// </summary>
public sealed class RecipeTests
{
    // src/OrchardCore/OrchardCore.Recipes.Abstractions/Models/RecipeDescriptor.cs (read with JOptions: names are case-insensitive).
    private static readonly string[] RecipeKeys =
        ["name", "displayName", "description", "author", "website", "version", "issetuprecipe", "exportutc", "categories", "tags", "steps"];

    // .../Metadata/Records/ContentPartDefinitionRecord.cs, ContentPartFieldDefinitionRecord.cs, ContentTypeDefinitionRecord.cs.
    private static readonly string[] PartRecordKeys = ["Name", "Settings", "ContentPartFieldDefinitionRecords"];
    private static readonly string[] FieldRecordKeys = ["FieldName", "Name", "Settings"];

    // Settings classes, by the key their object is stored under:
    // .../Metadata/Settings/ContentPartSettings.cs, ContentPartFieldSettings.cs, FieldSettings.cs (Hint, Required),
    // src/OrchardCore/OrchardCore.ContentFields.Core/Settings/BooleanFieldSettings.cs, TextFieldSettings.cs.
    private static readonly Dictionary<string, string[]> SettingsKeys = new(StringComparer.Ordinal)
    {
        ["ContentPartSettings"] = ["Attachable", "Reusable", "DisplayName", "Description", "DefaultPosition"],
        ["ContentPartFieldSettings"] = ["DisplayName", "Description", "Editor", "DisplayMode", "Position"],
        ["BooleanFieldSettings"] = ["Hint", "Required", "Label", "DefaultValue"],
        ["TextFieldSettings"] = ["Hint", "Required", "DefaultValue", "Type", "Pattern", "Placeholder"],
    };

    // The features the recipe-only edition needs: content items and types, the BooleanField/TextField fields, permalinks
    // (AutoroutePart, for items' addresses), Liquid, and Templates (the Templates step's handler lives there).
    private static readonly string[] RequiredFeatures =
    [
        "OrchardCore.Contents", "OrchardCore.ContentTypes", "OrchardCore.ContentFields", "OrchardCore.Autoroute",
        "OrchardCore.Liquid", "OrchardCore.Templates",
    ];

    // How Orchard Core reads site settings sections (JOptions.Default: case-insensitive names, enums by name);
    // unknown members are refused here so a misspelt setting fails the test instead of being ignored.
    private static readonly JsonSerializerOptions OrchardJson = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    private static JsonObject Declarative() => JsonNode.Parse(File.ReadAllText(Paths.DeclarativeRecipe))!.AsObject();

    private static JsonObject Migration() => JsonNode.Parse(File.ReadAllText(Paths.MigrationRecipe))!.AsObject();

    private static JsonObject[] Steps(JsonObject recipe) => [.. recipe["steps"]!.AsArray().Select(s => s!.AsObject())];

    private static JsonObject Step(JsonObject recipe, string name) =>
        Assert.Single(Steps(recipe), s => string.Equals((string?)s["name"], name, StringComparison.OrdinalIgnoreCase));

    private static JsonObject FlattrPart(JsonObject recipe) =>
        Assert.Single(Step(recipe, "ContentDefinition")["ContentParts"]!.AsArray().Select(p => p!.AsObject()),
            p => (string?)p["Name"] == OrchardContentMapper.PartName);

    private static JsonObject Field(JsonObject part, string name) =>
        Assert.Single(part["ContentPartFieldDefinitionRecords"]!.AsArray().Select(f => f!.AsObject()), f => (string?)f["Name"] == name);

    private static string[] Keys(JsonObject json) => [.. json.Select(p => p.Key)];

    [Fact]
    public void DeclarativeRecipe_Steps_AreFeatureContentDefinitionSettingsTemplatesInThatOrder()
    {
        Assert.Equal(["feature", "ContentDefinition", "Settings", "Templates"], Steps(Declarative()).Select(s => (string?)s["name"]));
    }

    [Theory]
    [InlineData("declarative")]
    [InlineData("migration")]
    public void Recipe_TopLevel_HasOnlyRecipeDescriptorKeysAndNames(string which)
    {
        var recipe = which == "declarative" ? Declarative() : Migration();

        Assert.All(Keys(recipe), key => Assert.Contains(key, RecipeKeys, StringComparer.OrdinalIgnoreCase));
        Assert.False(string.IsNullOrWhiteSpace((string?)recipe["name"]));
        Assert.False((bool)recipe["issetuprecipe"]!);
    }

    [Fact]
    public void DeclarativeRecipe_FeatureStep_EnablesEveryFeatureTheEditionNeedsAndDisablesNothing()
    {
        var step = Step(Declarative(), "feature");

        Assert.Equal(["name", "enable"], Keys(step));
        var enabled = step["enable"]!.AsArray().Select(f => (string?)f).ToArray();
        Assert.All(RequiredFeatures, feature => Assert.Contains(feature, enabled));
    }

    [Theory]
    [InlineData("declarative")]
    [InlineData("migration")]
    public void Recipe_FlattrPart_IsAttachableWithTheKeysOrchardReads(string which)
    {
        var part = FlattrPart(which == "declarative" ? Declarative() : Migration());

        Assert.Equal(PartRecordKeys, Keys(part));
        Assert.True((bool)part["Settings"]!["ContentPartSettings"]!["Attachable"]!);
        AssertKnownSettings(part["Settings"]!.AsObject());
        foreach (var field in part["ContentPartFieldDefinitionRecords"]!.AsArray().Select(f => f!.AsObject()))
        {
            Assert.Equal(FieldRecordKeys, Keys(field));
            AssertKnownSettings(field["Settings"]!.AsObject());
        }
    }

    [Theory]
    [InlineData("declarative")]
    [InlineData("migration")]
    public void Recipe_FlattrPartFields_AreTheOnesTheMapperReads(string which)
    {
        var part = FlattrPart(which == "declarative" ? Declarative() : Migration());

        var enabled = Field(part, OrchardContentMapper.EnabledField);
        var creator = Field(part, OrchardContentMapper.CreatorIdField);

        Assert.Equal("BooleanField", (string?)enabled["FieldName"]);
        Assert.Equal("TextField", (string?)creator["FieldName"]);
        // An editor who never touches the toggle gets the same answer as an item saved before the part was attached.
        Assert.Equal(new FlattrCreatorSettings().DefaultEnabled, (bool)enabled["Settings"]!["BooleanFieldSettings"]!["DefaultValue"]!);
    }

    [Fact]
    public void Recipes_SharedFields_AreDefinedIdenticallySoASiteCanMoveFromTheRecipeToTheModule()
    {
        var declarative = FlattrPart(Declarative());
        var migration = FlattrPart(Migration());

        Assert.True(JsonNode.DeepEquals(declarative["Settings"], migration["Settings"]));
        var migrationFields = migration["ContentPartFieldDefinitionRecords"]!.AsArray();
        Assert.Equal([OrchardContentMapper.EnabledField, OrchardContentMapper.CreatorIdField], migrationFields.Select(f => (string?)f!["Name"]));
        foreach (var field in migrationFields)
        {
            Assert.True(JsonNode.DeepEquals(field, Field(declarative, (string)field!["Name"]!)), $"Field {field["Name"]} differs between the recipes.");
        }

        // The recipe-only edition adds the address field it links to; the module signs its own links and has no use for it.
        var extra = Assert.Single(declarative["ContentPartFieldDefinitionRecords"]!.AsArray(), f => migrationFields.All(m => (string?)m!["Name"] != (string?)f!["Name"]));
        Assert.Equal("FlattrUrl", (string?)extra!["Name"]);
        Assert.Equal("TextField", (string?)extra["FieldName"]);
    }

    [Fact]
    public void MigrationRecipe_Steps_AreOnlyTheContentDefinition()
    {
        var step = Assert.Single(Steps(Migration()));

        Assert.Equal("ContentDefinition", (string?)step["name"]);
        Assert.Empty(step["ContentTypes"]!.AsArray()); // the site owner attaches the part to their own types
    }

    [Fact]
    public void DeclarativeRecipe_SettingsStep_IsTheModulesSettingsSection()
    {
        var step = Step(Declarative(), "Settings");

        Assert.Equal(["name", FlattrCreatorSettings.SectionName], Keys(step));
        var settings = step[FlattrCreatorSettings.SectionName].Deserialize<FlattrCreatorSettings>(OrchardJson)!;
        var defaults = new FlattrCreatorSettings();
        Assert.Equal(defaults.DefaultEnabled, settings.DefaultEnabled);
        Assert.Equal(defaults.ButtonStyle, settings.ButtonStyle);
        Assert.Equal(defaults.CreatorMode, settings.CreatorMode);
        // Left for the site owner to fill in before importing; nothing that would sign links is in a recipe.
        Assert.Equal(string.Empty, settings.HubUrl);
        Assert.Null(settings.InstallationId);
        Assert.Null(settings.ProtectedSecret);
    }

    [Fact]
    public void DeclarativeRecipe_TemplatesStep_HoldsTheButtonTemplateUnderThePartsShapeName()
    {
        var step = Step(Declarative(), "Templates");
        var templates = step["Templates"]!.AsObject();

        Assert.Equal(["name", "Templates"], Keys(step));
        // src/OrchardCore.Modules/OrchardCore.Templates/Recipes/TemplateStep.cs: each key is a shape name, each value a
        // Template (Models/TemplatesDocument.cs: Content, Description). A driver-less part is displayed as a ContentPart
        // shape with the alternate named after the part (ContentItemDisplayCoordinator.cs).
        var template = Assert.Single(templates);
        Assert.Equal(OrchardContentMapper.PartName, template.Key);
        Assert.Equal(["Description", "Content"], Keys(template.Value!.AsObject()));
    }

    [Fact]
    public void DeclarativeRecipe_Template_IsTheModulesViewVerbatim()
    {
        var content = (string?)Step(Declarative(), "Templates")["Templates"]![OrchardContentMapper.PartName]!["Content"];
        var view = File.ReadAllText(Paths.Template).ReplaceLineEndings("\n");

        Assert.True(view == content, "Declarative/flattr.recipe.json holds an old copy of Views/FlattrPart.liquid: run bash eng/orchard-recipe.sh.");
    }

    [Fact]
    public void Template_Source_ParsesWithFluid()
    {
        Assert.NotNull(OrchardLiquid.Parse(File.ReadAllText(Paths.Template)));
    }

    private static void AssertKnownSettings(JsonObject settings)
    {
        foreach (var (section, values) in settings)
        {
            Assert.True(SettingsKeys.TryGetValue(section, out var allowed), $"Unknown settings section '{section}'.");
            Assert.All(Keys(values!.AsObject()), key => Assert.Contains(key, allowed));
        }
    }
}
