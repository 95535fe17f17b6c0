using System.Text.Json;
using System.Text.Json.Nodes;
using Flattr.OrchardContent;
using Flattr.Protocol;
using Flattr.Sync;
using Flattr.Things;

namespace Flattr.Core.Tests.OrchardContent;

/// <summary>Orchard Core content items, as Orchard stores them (see <see cref="OrchardFixtures"/>), mapped to things.</summary>
public sealed class OrchardContentMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 10, 5, 15, 0, 0, TimeSpan.Zero);

    private static OrchardContentMapping Map(JsonObject item, FlattrCreatorSettings? settings = null, Uri? site = null, FlattrPartSettings? part = null) =>
        OrchardContentMapper.Map(item, settings ?? OrchardFixtures.Settings(), site ?? OrchardFixtures.SiteBaseUrl, part);

    private static OrchardContentMapping Map(string fixture, FlattrCreatorSettings? settings = null, Uri? site = null, FlattrPartSettings? part = null) =>
        Map(OrchardFixtures.Load(fixture), settings, site, part);

    [Fact]
    public void Map_PublishedBlogPost_MapsEveryPartToTheThing()
    {
        var mapping = Map(OrchardFixtures.BlogPost);

        Assert.Equal(ContentEligibility.Eligible, mapping.Eligibility);
        Assert.True(mapping.IsEligible);
        Assert.Null(mapping.Reason);
        Assert.Equal("4q6rbcvd8w1hm2ez3nphy0kx5t", mapping.ContentItemId);
        Assert.Equal("4v1a9d0kx2m3bq8wz7nfh5tr6c", mapping.ContentItemVersionId);
        var thing = Assert.IsType<ThingUpsert>(mapping.Thing);
        Assert.Equal("https://www.example.org/blog/mending-a-bicycle-wheel", thing.Url);
        Assert.Equal("Mending a bicycle wheel by the roadside", thing.Title);
        // Tags stripped, entities decoded, the script's text dropped, words kept whole across inline tags.
        Assert.Equal("A spoke broke 40 km from home. Here is how I trued the wheel with a multi\u2011tool & patience.", thing.Description);
        Assert.Equal("text", thing.Category);
        Assert.Equal("en-GB", thing.Language);
        Assert.Equal(["Cycling", "Repair"], thing.Tags);
        Assert.False(thing.Hidden);
        Assert.Equal(new CreatorUpsert { ExternalId = "workshop", Name = "The Workshop" }, thing.Creator);
        Assert.Empty(ThingValidation.Validate(mapping.ContentItemId, thing));
    }

    [Fact]
    public void ToSyncItem_EligibleItem_IsAnUpsertKeyedByContentItemId()
    {
        var item = Map(OrchardFixtures.BlogPost).ToSyncItem(Now);

        Assert.Equal(SyncKind.Upsert, item.Kind);
        Assert.Equal("4q6rbcvd8w1hm2ez3nphy0kx5t", item.ExternalId);
        Assert.Equal("Mending a bicycle wheel by the roadside", item.Thing!.Title);
        Assert.Equal(Now, item.EnqueuedAt);
        Assert.Equal(Now, item.NextAttemptAt);
    }

    [Theory]
    [InlineData(OrchardFixtures.Draft, ContentEligibility.NotPublished)]
    [InlineData(OrchardFixtures.Disabled, ContentEligibility.Disabled)]
    [InlineData(OrchardFixtures.NoFlattrPart, ContentEligibility.NoFlattrPart)]
    [InlineData(OrchardFixtures.NoRoute, ContentEligibility.NoUrl)]
    public void Map_ItemThatIsNoThing_SaysWhyAndQueuesARetirement(string fixture, ContentEligibility expected)
    {
        var mapping = Map(fixture);

        Assert.Equal(expected, mapping.Eligibility);
        Assert.False(mapping.IsEligible);
        Assert.Null(mapping.Thing);
        Assert.False(string.IsNullOrWhiteSpace(mapping.Reason));
        var item = mapping.ToSyncItem(Now);
        Assert.Equal(SyncKind.Retire, item.Kind);
        Assert.Equal(mapping.ContentItemId, item.ExternalId);
    }

    [Fact]
    public void Map_NoRoute_TellsTheEditorToAddAutoroutePart()
    {
        Assert.Contains("AutoroutePart", Map(OrchardFixtures.NoRoute).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_PodcastWithCreatorOverride_PaysTheItemsCreatorAndReadsMarkdown()
    {
        var thing = Map(OrchardFixtures.Podcast).Thing!;

        // The item's own creator: no name is invented for it (only the site's default creator has one).
        Assert.Equal(new CreatorUpsert { ExternalId = "chloe-guest", Name = null }, thing.Creator);
        Assert.Equal("\u00c9pisode 12 \u2014 \u00c7a roule : r\u00e9parer sa roue \U0001F6B2", thing.Title);
        Assert.Equal(
            "Au programme Notre invit\u00e9e Chlo\u00e9 explique comment centrer une roue sans outil sp\u00e9cial. \u00ab Patience et un rayon de rechange. \u00bb",
            thing.Description);
        // Non-ASCII slugs are percent-encoded as UTF-8 in the thing's address.
        Assert.Equal("https://www.example.org/podcast/%C3%A9pisode-12", thing.Url);
        Assert.Equal("fr-FR", thing.Language);
        Assert.Equal(["V\u00e9lo", "Cycling"], thing.Tags); // duplicates from the field collapse to one
    }

    [Fact]
    public void Map_CreatorOverrideEqualToTheDefault_KeepsTheDefaultCreatorsName()
    {
        var item = OrchardFixtures.Load(OrchardFixtures.Podcast);
        item["FlattrPart"]!["CreatorId"]!["Text"] = "  workshop ";

        Assert.Equal(new CreatorUpsert { ExternalId = "workshop", Name = "The Workshop" }, Map(item).Thing!.Creator);
    }

    [Fact]
    public void Map_PartSettingsOfTheType_SetCategoryAndHidden()
    {
        var thing = Map(OrchardFixtures.Podcast, part: new FlattrPartSettings { Category = "audio", Hidden = true }).Thing!;

        Assert.Equal("audio", thing.Category);
        Assert.True(thing.Hidden);
    }

    [Fact]
    public void Map_Homepage_IsTheSitesOwnAddress()
    {
        Assert.Equal("https://www.example.org/", Map(OrchardFixtures.Homepage).Thing!.Url);
    }

    [Theory]
    [InlineData("https://example.org/workshop", "https://example.org/workshop/blog/mending-a-bicycle-wheel")]
    [InlineData("https://example.org/workshop/", "https://example.org/workshop/blog/mending-a-bicycle-wheel")]
    [InlineData("http://localhost:5000", "http://localhost:5000/blog/mending-a-bicycle-wheel")]
    public void Map_TenantWithAUrlPrefix_KeepsThePrefix(string baseUrl, string expected)
    {
        Assert.Equal(expected, Map(OrchardFixtures.BlogPost, site: new Uri(baseUrl)).Thing!.Url);
    }

    [Fact]
    public void Map_PathWithDotSegmentsAndReservedCharacters_StaysBelowTheTenantsPrefix()
    {
        var item = OrchardFixtures.Load(OrchardFixtures.BlogPost);
        item["AutoroutePart"]!["Path"] = "/../../admin?x=1#top";

        var url = Map(item, site: new Uri("https://example.org/workshop/")).Thing!.Url;

        Assert.Equal("https://example.org/workshop/admin%3Fx%3D1%23top", url);
    }

    [Theory]
    [InlineData(true, ContentEligibility.Eligible)]
    [InlineData(false, ContentEligibility.Disabled)]
    public void Map_PartAttachedAfterTheItemWasSaved_FollowsTheSitesDefault(bool defaultEnabled, ContentEligibility expected)
    {
        var settings = OrchardFixtures.Settings();
        settings.DefaultEnabled = defaultEnabled;

        Assert.Equal(expected, Map(OrchardFixtures.PartAttachedLater, settings).Eligibility);
    }

    [Fact]
    public void Map_SwitchedOffItem_StaysOffWhateverTheSitesDefault()
    {
        var settings = OrchardFixtures.Settings();
        settings.DefaultEnabled = true;

        Assert.Equal(ContentEligibility.Disabled, Map(OrchardFixtures.Disabled, settings).Eligibility);
    }

    [Fact]
    public void Map_ContentOwnerMode_PaysTheOwnerAndNeverSendsTheirLoginName()
    {
        var settings = OrchardFixtures.Settings();
        settings.CreatorMode = FlattrCreatorMode.ContentOwner;

        var thing = Map(OrchardFixtures.BlogPost, settings).Thing!;

        Assert.Equal(new CreatorUpsert { ExternalId = "user:4ahk3w8s0dqz1m6yv2nxb9p7rc", Name = null }, thing.Creator);
        var json = JsonSerializer.Serialize(thing, ProtocolJson.Options);
        Assert.DoesNotContain("\"ann\"", json, StringComparison.Ordinal); // the item's Author (a user name)
    }

    [Fact]
    public void Map_ContentOwnerModeAndAnItemWithoutOwner_FallsBackToTheDefaultCreator()
    {
        var settings = OrchardFixtures.Settings();
        settings.CreatorMode = FlattrCreatorMode.ContentOwner;
        var item = OrchardFixtures.Load(OrchardFixtures.BlogPost);
        item["Owner"] = null;

        Assert.Equal("workshop", Map(item, settings).Thing!.Creator!.ExternalId);
    }

    [Fact]
    public void Map_NoCreatorAnywhere_IsNoCreator()
    {
        var settings = OrchardFixtures.Settings();
        settings.DefaultCreatorId = " ";

        var mapping = Map(OrchardFixtures.BlogPost, settings);

        Assert.Equal(ContentEligibility.NoCreator, mapping.Eligibility);
        Assert.Equal(SyncKind.Retire, mapping.ToSyncItem(Now).Kind);
    }

    [Fact]
    public void Map_LongTitleAndManyLongTags_StayWithinTheHubsLimits()
    {
        var item = OrchardFixtures.Load(OrchardFixtures.BlogPost);
        item["TitlePart"]!["Title"] = string.Join(' ', Enumerable.Repeat("wheel", 80));
        item["BlogPost"]!["Tags"]!["TagNames"] = new JsonArray([.. Enumerable.Range(0, 30).Select(i => (JsonNode)($"tag {i} " + new string('x', 60)))]);

        var mapping = Map(item);

        Assert.Equal(ContentEligibility.Eligible, mapping.Eligibility);
        Assert.True(mapping.Thing!.Title!.Length <= ThingLimits.TitleLength);
        Assert.EndsWith("wheel\u2026", mapping.Thing.Title, StringComparison.Ordinal);
        Assert.Equal(ThingLimits.TagCount, mapping.Thing.Tags!.Count);
        Assert.All(mapping.Thing.Tags, t => Assert.True(t.Length <= ThingLimits.TagLength));
    }

    [Fact]
    public void Map_LongBody_IsCutAtAWordIntoAShortDescription()
    {
        var item = OrchardFixtures.Load(OrchardFixtures.BlogPost);
        item["HtmlBodyPart"]!["Html"] = "<p>" + string.Join(' ', Enumerable.Repeat("spoke", 200)) + "</p>";

        var description = Map(item).Thing!.Description!;

        Assert.True(description.Length <= OrchardContentMapper.DescriptionLength);
        Assert.EndsWith("spoke\u2026", description, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_CultureThatIsNoLanguageTag_IsDroppedRatherThanCostingTheButton()
    {
        var item = OrchardFixtures.Load(OrchardFixtures.BlogPost);
        item["LocalizationPart"]!["Culture"] = "not a culture!";

        var mapping = Map(item);

        Assert.Equal(ContentEligibility.Eligible, mapping.Eligibility);
        Assert.Null(mapping.Thing!.Language);
    }

    [Fact]
    public void Map_ItemTheHubWouldRefuse_IsInvalidWithTheHubsReasonsAndStillQueuedAsAnUpsert()
    {
        var item = OrchardFixtures.Load(OrchardFixtures.BlogPost);
        item["AutoroutePart"]!["Path"] = new string('a', ThingLimits.UrlLength);

        var mapping = Map(item);

        Assert.Equal(ContentEligibility.Invalid, mapping.Eligibility);
        Assert.Contains(mapping.Problems, p => p.Contains("URL", StringComparison.Ordinal));
        Assert.Contains("URL", mapping.Reason, StringComparison.Ordinal);
        // Queued as an upsert: the processor marks it failed with the Hub's reason, where the site owner sees it.
        Assert.Equal(SyncKind.Upsert, mapping.ToSyncItem(Now).Kind);
    }

    [Fact]
    public void Map_ItemBuiltFromClrValues_MapsLikeParsedJson()
    {
        // The module serializes a live ContentItem to a JsonObject; nodes made from .NET values must read the same.
        var parsed = OrchardFixtures.Load(OrchardFixtures.BlogPost);
        var built = new JsonObject
        {
            ["ContentItemId"] = "4q6rbcvd8w1hm2ez3nphy0kx5t",
            ["ContentItemVersionId"] = "4v1a9d0kx2m3bq8wz7nfh5tr6c",
            ["ContentType"] = "BlogPost",
            ["DisplayText"] = "Mending a bicycle wheel by the roadside",
            ["Latest"] = true,
            ["Published"] = true,
            ["PublishedUtc"] = new DateTime(2026, 10, 5, 14, 30, 12, DateTimeKind.Utc),
            ["Owner"] = "4ahk3w8s0dqz1m6yv2nxb9p7rc",
            ["Author"] = "ann",
            ["TitlePart"] = new JsonObject { ["Title"] = "Mending a bicycle wheel by the roadside" },
            ["AutoroutePart"] = new JsonObject { ["Path"] = "blog/mending-a-bicycle-wheel", ["SetHomepage"] = false },
            ["HtmlBodyPart"] = parsed["HtmlBodyPart"]!.DeepClone(),
            ["LocalizationPart"] = new JsonObject { ["Culture"] = "en-GB" },
            ["BlogPost"] = new JsonObject { ["Tags"] = new JsonObject { ["TagNames"] = new JsonArray("Cycling", "Repair") } },
            ["FlattrPart"] = new JsonObject { ["Enabled"] = new JsonObject { ["Value"] = true }, ["CreatorId"] = new JsonObject() },
        };

        Assert.Equal(Map(parsed).Thing, Map(built).Thing, ThingComparer.Instance);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Map_EveryFixture_EligibleExactlyWhenTheHubWouldAcceptTheThing(string fixture)
    {
        var mapping = Map(fixture);

        if (mapping.IsEligible)
        {
            Assert.Empty(ThingValidation.Validate(mapping.ContentItemId, mapping.Thing));
            Assert.Empty(mapping.Problems);
        }
        else
        {
            Assert.NotNull(mapping.Reason);
        }
    }

    public static TheoryData<string> Fixtures => new(OrchardFixtures.All);

    [Fact]
    public void Map_JsonThatIsNoContentItem_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Map(new JsonObject { ["Title"] = "x" }));
        Assert.Contains("ContentItemId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_RelativeSiteAddress_Throws()
    {
        Assert.Throws<ArgumentException>(() => Map(OrchardFixtures.BlogPost, site: new Uri("/blog", UriKind.Relative)));
    }

    /// <summary>Things compare by value, tags by their elements.</summary>
    private sealed class ThingComparer : IEqualityComparer<ThingUpsert?>
    {
        public static readonly ThingComparer Instance = new();

        public bool Equals(ThingUpsert? x, ThingUpsert? y) =>
            x is not null && y is not null
            && (x with { Tags = null }) == (y with { Tags = null })
            && (x.Tags ?? []).SequenceEqual(y.Tags ?? [], StringComparer.Ordinal);

        public int GetHashCode(ThingUpsert? obj) => obj?.Url?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
