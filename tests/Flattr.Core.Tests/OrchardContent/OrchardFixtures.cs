using System.Text.Json.Nodes;
using Flattr.OrchardContent;

namespace Flattr.Core.Tests.OrchardContent;

/// <summary>
/// The content-item fixtures in <c>Fixtures/</c>: each is one item version shaped exactly as Orchard Core 3.0 stores it
/// (<c>ContentItemConverter.cs</c> for the well-known properties, one object per part; the files each part and field come
/// from are listed in <c>Fixtures/README.md</c>).
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
