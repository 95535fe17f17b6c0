using System.Text.Json.Nodes;
using Flattr.OrchardContent;

namespace Flattr.Core.Tests.OrchardContent;

/// <summary>
/// The content-item fixtures in <c>Fixtures/</c>: each is one item version shaped exactly as Orchard Core 3.0 stores it.
/// The shape comes from Orchard Core 3.0.1 (<c>OrchardCMS/OrchardCore</c>, "Release 3.0.1" commit b9c4b2f23e):
/// <c>src/OrchardCore/OrchardCore.ContentManagement.Abstractions/ContentItemConverter.cs</c> writes the well-known
/// properties (ContentItemId, ContentItemVersionId, ContentType, DisplayText, Latest, Published, ModifiedUtc,
/// PublishedUtc, CreatedUtc, Owner, Author) and then one object per part; the parts and fields are
/// <c>OrchardCore.Title/Models/TitlePart.cs</c>, <c>OrchardCore.Autoroute.Core/Model/AutoroutePart.cs</c>,
/// <c>OrchardCore.Html/Models/HtmlBodyPart.cs</c>, <c>OrchardCore.Markdown/Models/MarkdownBodyPart.cs</c>,
/// <c>OrchardCore.ContentLocalization.Abstractions/Models/LocalizationPart.cs</c>,
/// <c>OrchardCore.Lists/Models/ContainedPart.cs</c>, <c>OrchardCore.Taxonomies/Fields/TaxonomyField.cs</c> with
/// <c>TagNamesExtensions.cs</c> (the tags editor's <c>TagNames</c>), and <c>OrchardCore.ContentFields.Core/Fields/BooleanField.cs</c>
/// and <c>TextField.cs</c> for the Flattr part's fields. <c>Fixtures/README.md</c> maps each property to its file.
/// </summary>
internal static class OrchardFixtures
{
    public const string BlogPost = "blog-post.published.json";
    public const string Draft = "blog-post.draft.json";
    public const string Disabled = "article.disabled.json";
    public const string NoFlattrPart = "page.no-flattr-part.json";
    public const string NoRoute = "article.no-route.json";
    public const string Podcast = "podcast-episode.creator-override.json";
    public const string Homepage = "homepage.json";
    public const string PartAttachedLater = "article.part-attached-later.json";

    public static readonly Uri SiteBaseUrl = new("https://www.example.org/");

    public static IEnumerable<string> All =>
        Directory.EnumerateFiles(Folder, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "OrchardContent", "Fixtures");

    public static JsonObject Load(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, name)))!.AsObject();

    public static FlattrCreatorSettings Settings() => new()
    {
        HubUrl = "https://hub.example.net/",
        InstallationId = "inst-orchard",
        ProtectedSecret = "CfDJ8protected-by-data-protection",
        DefaultCreatorId = "workshop",
        DefaultCreatorName = "The Workshop",
    };
}
