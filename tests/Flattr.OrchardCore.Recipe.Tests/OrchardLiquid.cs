using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fluid;
using Fluid.Values;
using Flattr.OrchardContent;

namespace Flattr.OrchardCore.Recipe.Tests;

/// <summary>
/// Renders the Flattr button template with Fluid configured the way Orchard Core 3.0 configures it for the values the
/// template touches, so the template is tested offline:
/// <list type="bullet">
/// <item>the module registers its view model for member access (as Orchard modules do with
/// <c>services.Configure&lt;TemplateOptions&gt;(o =&gt; o.MemberAccessStrategy.Register&lt;TModel&gt;())</c>);</item>
/// <item>JSON (content item <c>Content</c>, <c>Site.Properties</c>) is read property by property and JSON values become
/// Liquid values, as <c>src/OrchardCore.Modules/OrchardCore.Liquid/Startup.cs</c> sets up for <c>JsonObject</c> and
/// <c>JsonValue</c>;</item>
/// <item><c>Site</c> is a scope value whose <c>Properties</c> are the site's settings sections
/// (<c>src/OrchardCore.Modules/OrchardCore.Settings/Startup.cs</c>);</item>
/// <item>output is HTML-encoded, as Orchard renders Liquid views and templates.</item>
/// </list>
/// What is not reproduced (Orchard's shape objects, its Castle proxies of view models, its own filters) is covered by
/// stand-ins and named in the README as needing a live Orchard Core site.
/// </summary>
internal static class OrchardLiquid
{
    private static readonly FluidParser Parser = new();

    private static readonly Lazy<IFluidTemplate> ButtonTemplate = new(() => Parse(File.ReadAllText(Paths.Template)));

    public static TemplateOptions Options { get; } = CreateOptions();

    public static IFluidTemplate Parse(string source) =>
        Parser.TryParse(source, out var template, out var error)
            ? template
            : throw new InvalidOperationException("The Liquid template does not parse: " + error);

    /// <summary>Renders the template as the module does: its view model is the Model.</summary>
    public static Task<string> RenderModuleAsync(FlattrButtonViewModel model) => RenderAsync(ButtonTemplate.Value, model, site: null);

    /// <summary>
    /// Renders the template as the recipe-only edition does: the Model is the FlattrPart's ContentPart shape and the site
    /// settings come from <c>Site.Properties</c>.
    /// </summary>
    public static Task<string> RenderDeclarativeAsync(ContentPartShape model, JsonObject? siteProperties) =>
        RenderAsync(ButtonTemplate.Value, model, siteProperties);

    public static async Task<string> RenderAsync(IFluidTemplate template, object model, JsonObject? site)
    {
        var context = new TemplateContext(Options);
        context.SetValue("Model", model);
        context.SetValue("Site", new JsonObject { ["Properties"] = site?.DeepClone() ?? new JsonObject() });
        return await template.RenderAsync(context, HtmlEncoder.Default);
    }

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions();
        options.MemberAccessStrategy.Register<FlattrButtonViewModel>();
        options.MemberAccessStrategy.Register<ContentPartShape>();
        options.MemberAccessStrategy.Register<ContentItemStandIn>();
        options.MemberAccessStrategy.Register<JsonObject, object?>((json, name) => json[name]);
        options.ValueConverters.Add(value => value switch
        {
            JsonObject json => new ObjectValue(json),
            JsonValue json => ToFluid(json),
            _ => null,
        });
        return options;
    }

    private static FluidValue ToFluid(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.True => BooleanValue.True,
        JsonValueKind.False => BooleanValue.False,
        JsonValueKind.String => new StringValue(value.GetValue<string>()),
        JsonValueKind.Number => NumberValue.Create(value.GetValue<decimal>()),
        _ => NilValue.Instance,
    };
}

/// <summary>
/// Stands in for the <c>ContentPart</c> shape Orchard Core builds for a part that has no driver (the recipe-only
/// edition): its <c>ContentItem</c> property is the item being displayed
/// (<c>ContentItemDisplayCoordinator.cs</c> sets <c>Properties["ContentItem"]</c> and <c>Properties[partName]</c>).
/// </summary>
public sealed class ContentPartShape
{
    public required ContentItemStandIn ContentItem { get; init; }

    public JsonObject? FlattrPart => ContentItem.Content[OrchardContentMapper.PartName] as JsonObject;
}

/// <summary>
/// Stands in for Orchard Core's <c>ContentItem</c>: the well-known properties as .NET properties and the parts in
/// <c>Content</c>, built from a stored item's JSON (<c>ContentItemConverter.cs</c>).
/// </summary>
public sealed class ContentItemStandIn
{
    public required string ContentItemId { get; init; }

    public string? DisplayText { get; init; }

    public bool Published { get; init; }

    public bool Latest { get; init; }

    public string? Owner { get; init; }

    public string? Author { get; init; }

    public required JsonObject Content { get; init; }

    public static ContentItemStandIn FromStoredJson(JsonObject item) => new()
    {
        ContentItemId = item[nameof(ContentItemId)]!.GetValue<string>(),
        DisplayText = item[nameof(DisplayText)]?.GetValue<string>(),
        Published = item[nameof(Published)]?.GetValue<bool>() ?? false,
        Latest = item[nameof(Latest)]?.GetValue<bool>() ?? false,
        Owner = item[nameof(Owner)]?.GetValue<string>(),
        Author = item[nameof(Author)]?.GetValue<string>(),
        Content = item,
    };
}

/// <summary>Where the linked Orchard files and the fixtures are copied in the test output.</summary>
internal static class Paths
{
    public static string Template => Path.Combine(AppContext.BaseDirectory, "Orchard", "Views", "FlattrPart.liquid");

    public static string DeclarativeRecipe => Path.Combine(AppContext.BaseDirectory, "Orchard", "Declarative", "flattr.recipe.json");

    public static string MigrationRecipe => Path.Combine(AppContext.BaseDirectory, "Orchard", "Migrations", "flattr-part.recipe.json");

    public static JsonObject Fixture(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)))!.AsObject();
}
