using Flattr.Protocol;
using Flattr.Things;

namespace Flattr.Core.Tests.Protocol;

public sealed class ThingValidationTests
{
    private const string ExternalId = "post-42";

    private static ThingUpsert Valid() => new()
    {
        Url = "https://blog.example/posts/42",
        Title = "A post about things",
        Description = "What it is about.",
        Category = "text",
        Language = "en-GB",
        Tags = ["dotnet", "flattr"],
        Hidden = false,
        Creator = new CreatorUpsert { ExternalId = "ann", Name = "Ann Example" },
    };

    private static string[] Tags(int count) => Enumerable.Range(1, count).Select(i => $"tag{i}").ToArray();

    /// <summary>Asserts that exactly one field has errors and returns its messages.</summary>
    private static string[] SingleError(Dictionary<string, string[]> errors, string key)
    {
        var entry = Assert.Single(errors);
        Assert.Equal(key, entry.Key);
        Assert.NotEmpty(entry.Value);
        Assert.All(entry.Value, message => Assert.False(string.IsNullOrWhiteSpace(message)));
        return entry.Value;
    }

    [Fact]
    public void Validate_ValidUpsert_HasNoErrors()
    {
        Assert.Empty(ThingValidation.Validate(ExternalId, Valid()));
    }

    [Fact]
    public void Validate_MinimalUpsert_HasNoErrors()
    {
        var upsert = new ThingUpsert
        {
            Url = "http://blog.example/",
            Title = "T",
            Creator = new CreatorUpsert { ExternalId = "a" },
        };

        Assert.Empty(ThingValidation.Validate("x", upsert));
    }

    [Fact]
    public void Validate_FieldsExactlyAtTheirLimits_HaveNoErrors()
    {
        const string prefix = "https://blog.example/";
        var upsert = Valid() with
        {
            Url = prefix + new string('a', 2048 - prefix.Length),
            Title = new string('t', 200),
            Description = new string('d', 1000),
            Language = new string('a', 35),
            Tags = [.. Tags(19), new string('g', 50)],
            Creator = new CreatorUpsert { ExternalId = new string('c', 256), Name = new string('n', 200) },
        };

        Assert.Empty(ThingValidation.Validate(new string('x', 256), upsert));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void Validate_MissingOrBlankTitle_ReportsTitle(string? title)
    {
        var errors = ThingValidation.Validate(ExternalId, Valid() with { Title = title });

        SingleError(errors, "title");
    }

    [Fact]
    public void Validate_Title201Characters_ReportsTitleLength()
    {
        var errors = ThingValidation.Validate(ExternalId, Valid() with { Title = new string('t', 201) });

        var message = Assert.Single(SingleError(errors, "title"));
        Assert.Contains("200", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Two\nlines")]
    [InlineData("Carriage\rreturn")]
    [InlineData("Bell\u0007")]
    [InlineData("\u0000Null")]
    [InlineData("Tab\tinside")]
    [InlineData("C1 \u0085 next line")]
    public void Validate_ControlCharacterInTitle_ReportsTitle(string title)
    {
        var errors = ThingValidation.Validate(ExternalId, Valid() with { Title = title });

        var message = Assert.Single(SingleError(errors, "title"));
        Assert.Contains("control", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TitleTooLongWithControlCharacter_ReportsBothMessages()
    {
        var errors = ThingValidation.Validate(ExternalId, Valid() with { Title = new string('t', 200) + "\n" });

        Assert.Equal(2, SingleError(errors, "title").Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_MissingUrl_ReportsUrl(string? url)
    {
        SingleError(ThingValidation.Validate(ExternalId, Valid() with { Url = url }), "url");
    }

    [Theory]
    [InlineData("/posts/42")]
    [InlineData("posts/42")]
    [InlineData("//blog.example/posts/42")]
    [InlineData("ftp://blog.example/posts/42")]
    [InlineData("javascript:alert(1)")]
    [InlineData("mailto:ann@blog.example")]
    [InlineData("file:///etc/passwd")]
    [InlineData("data:text/html,hi")]
    [InlineData("not a url")]
    public void Validate_RelativeOrNonHttpUrl_ReportsUrl(string url)
    {
        var message = Assert.Single(SingleError(ThingValidation.Validate(ExternalId, Valid() with { Url = url }), "url"));
        Assert.Contains("http", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://blog.example/posts/42")]
    [InlineData("http://blog.example/posts/42?x=1#top")]
    [InlineData("HTTPS://BLOG.EXAMPLE/")]
    [InlineData("https://bücher.example/straße")]
    [InlineData("http://127.0.0.1:8080/")]
    public void Validate_AbsoluteHttpOrHttpsUrl_IsValid(string url)
    {
        Assert.Empty(ThingValidation.Validate(ExternalId, Valid() with { Url = url }));
    }

    [Fact]
    public void Validate_UrlLongerThan2048_ReportsUrlLength()
    {
        const string prefix = "https://blog.example/";
        var url = prefix + new string('a', 2049 - prefix.Length);

        var message = Assert.Single(SingleError(ThingValidation.Validate(ExternalId, Valid() with { Url = url }), "url"));
        Assert.Contains("2048", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gifts")]
    [InlineData("Text")]
    [InlineData("TEXT")]
    [InlineData(" text")]
    [InlineData("")]
    public void Validate_UnknownCategory_ReportsCategoryListingTheValidOnes(string category)
    {
        var message = Assert.Single(SingleError(ThingValidation.Validate(ExternalId, Valid() with { Category = category }), "category"));

        Assert.Contains("text, images, video, audio, software, people, rest", message, StringComparison.Ordinal);
        Assert.Contains($"'{category}'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("images")]
    [InlineData("video")]
    [InlineData("audio")]
    [InlineData("software")]
    [InlineData("people")]
    [InlineData("rest")]
    [InlineData(null)]
    public void Validate_KnownOrAbsentCategory_IsValid(string? category)
    {
        Assert.Empty(ThingValidation.Validate(ExternalId, Valid() with { Category = category }));
    }

    [Fact]
    public void Validate_DescriptionLongerThan1000_ReportsDescription()
    {
        var message = Assert.Single(SingleError(
            ThingValidation.Validate(ExternalId, Valid() with { Description = new string('d', 1001) }),
            "description"));
        Assert.Contains("1000", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TwentyOneTags_ReportsTags()
    {
        var message = Assert.Single(SingleError(ThingValidation.Validate(ExternalId, Valid() with { Tags = Tags(21) }), "tags"));
        Assert.Contains("20", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\u00a0")]
    public void Validate_BlankTag_ReportsThatTagByIndex(string tag)
    {
        SingleError(ThingValidation.Validate(ExternalId, Valid() with { Tags = ["ok", tag, "fine"] }), "tags[1]");
    }

    [Fact]
    public void Validate_NullTagInList_ReportsThatTagByIndex()
    {
        SingleError(ThingValidation.Validate(ExternalId, Valid() with { Tags = ["ok", null!] }), "tags[1]");
    }

    [Fact]
    public void Validate_TagLongerThan50_ReportsThatTagByIndex()
    {
        var message = Assert.Single(SingleError(
            ThingValidation.Validate(ExternalId, Valid() with { Tags = ["a", "b", new string('g', 51)] }),
            "tags[2]"));
        Assert.Contains("50", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TagWithControlCharacter_ReportsThatTagByIndex()
    {
        SingleError(ThingValidation.Validate(ExternalId, Valid() with { Tags = ["line\nbreak"] }), "tags[0]");
    }

    [Theory]
    [InlineData("e n")]
    [InlineData("")]
    [InlineData("-en")]
    [InlineData("1en")]
    [InlineData("en GB")]
    [InlineData("en.GB")]
    [InlineData("ēn")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 36 characters
    public void Validate_BadLanguage_ReportsLanguage(string language)
    {
        SingleError(ThingValidation.Validate(ExternalId, Valid() with { Language = language }), "language");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("en-GB")]
    [InlineData("zh-Hant-TW")]
    [InlineData("sr_Latn")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 35 characters
    [InlineData(null)]
    public void Validate_GoodOrAbsentLanguage_IsValid(string? language)
    {
        Assert.Empty(ThingValidation.Validate(ExternalId, Valid() with { Language = language }));
    }

    [Fact]
    public void Validate_MissingCreator_ReportsCreator()
    {
        SingleError(ThingValidation.Validate(ExternalId, Valid() with { Creator = null }), "creator");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_MissingCreatorExternalId_ReportsCreatorExternalId(string? id)
    {
        SingleError(
            ThingValidation.Validate(ExternalId, Valid() with { Creator = new CreatorUpsert { ExternalId = id, Name = "Ann" } }),
            "creator.externalId");
    }

    [Fact]
    public void Validate_CreatorExternalIdLongerThan256_ReportsCreatorExternalId()
    {
        var message = Assert.Single(SingleError(
            ThingValidation.Validate(ExternalId, Valid() with { Creator = new CreatorUpsert { ExternalId = new string('c', 257) } }),
            "creator.externalId"));
        Assert.Contains("256", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CreatorNameTooLongOrWithControlCharacter_ReportsCreatorName()
    {
        SingleError(
            ThingValidation.Validate(ExternalId, Valid() with { Creator = new CreatorUpsert { ExternalId = "ann", Name = new string('n', 201) } }),
            "creator.name");
        SingleError(
            ThingValidation.Validate(ExternalId, Valid() with { Creator = new CreatorUpsert { ExternalId = "ann", Name = "Ann\r\n" } }),
            "creator.name");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_MissingExternalId_ReportsExternalId(string? externalId)
    {
        SingleError(ThingValidation.Validate(externalId, Valid()), "externalId");
    }

    [Fact]
    public void Validate_ExternalIdLongerThan256_ReportsExternalId()
    {
        var message = Assert.Single(SingleError(ThingValidation.Validate(new string('x', 257), Valid()), "externalId"));
        Assert.Contains("256", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ExternalIdWithControlCharacter_ReportsExternalId()
    {
        SingleError(ThingValidation.Validate("post\n42", Valid()), "externalId");
    }

    [Theory]
    [InlineData("a/b c")]
    [InlineData("#frag?query")]
    [InlineData("café-☕")]
    [InlineData("1f0e9c3e-6a3b-4b0e-9d8e-2a7c1b8f9e10")]
    public void Validate_ExternalIdWithPunctuationOrUnicode_IsValid(string externalId)
    {
        Assert.Empty(ThingValidation.Validate(externalId, Valid()));
    }

    [Fact]
    public void Validate_NullUpsert_ReportsBody()
    {
        SingleError(ThingValidation.Validate(ExternalId, null), "body");
    }

    [Fact]
    public void Validate_NullUpsertAndMissingExternalId_ReportsBoth()
    {
        var errors = ThingValidation.Validate(null, null);

        Assert.Equal(["body", "externalId"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsThemAllAtOnce()
    {
        var upsert = Valid() with
        {
            Title = null,
            Url = "ftp://blog.example/x",
            Category = "gifts",
            Description = new string('d', 1001),
            Tags = [.. Tags(20), " "],
            Language = "e n",
            Creator = new CreatorUpsert { ExternalId = null },
        };

        var errors = ThingValidation.Validate(new string('x', 257), upsert);

        Assert.Equal(
            ["category", "creator.externalId", "description", "externalId", "language", "tags", "tags[20]", "title", "url"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_MissingTitleAndBadUrl_ReportsBothKeys()
    {
        var errors = ThingValidation.Validate(ExternalId, Valid() with { Title = "", Url = "/relative" });

        Assert.Equal(["title", "url"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_WithPrefix_PrefixesEveryKey()
    {
        var upsert = Valid() with { Title = null, Tags = ["ok", ""], Creator = new CreatorUpsert() };

        var errors = ThingValidation.Validate(string.Empty, upsert, "things[3].");

        Assert.Equal(
            ["things[3].creator.externalId", "things[3].externalId", "things[3].tags[1]", "things[3].title"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_NullUpsertWithPrefix_PrefixesBody()
    {
        SingleError(ThingValidation.Validate(ExternalId, null, "things[0]."), "things[0].body");
    }

    [Fact]
    public void ToThing_ValidUpsert_MapsEveryField()
    {
        var thing = ThingValidation.ToThing("inst-1", ExternalId, Valid() with { Hidden = true, Category = "audio" });

        Assert.Equal("inst-1", thing.InstallationId);
        Assert.Equal(ExternalId, thing.ExternalId);
        Assert.Equal(new Uri("https://blog.example/posts/42"), thing.Url);
        Assert.Equal("A post about things", thing.Title);
        Assert.Equal("What it is about.", thing.Description);
        Assert.Equal(ThingCategory.Audio, thing.Category);
        Assert.Equal("en-GB", thing.Language);
        Assert.Equal(["dotnet", "flattr"], thing.Tags);
        Assert.True(thing.Hidden);
        Assert.Equal(new CreatorRef("ann", "Ann Example"), thing.Creator);
    }

    [Fact]
    public void ToThing_NullCategory_DefaultsToRest()
    {
        Assert.Equal(ThingCategory.Rest, ThingValidation.ToThing("i", ExternalId, Valid() with { Category = null }).Category);
    }

    [Fact]
    public void ToThing_PaddedTitleAndDescription_AreTrimmed()
    {
        var thing = ThingValidation.ToThing("i", ExternalId, Valid() with { Title = "  Hello \u00a0", Description = "\tAbout.  " });

        Assert.Equal("Hello", thing.Title);
        Assert.Equal("About.", thing.Description);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void ToThing_BlankDescription_IsNull(string? description)
    {
        Assert.Null(ThingValidation.ToThing("i", ExternalId, Valid() with { Description = description }).Description);
    }

    [Fact]
    public void ToThing_DuplicateTags_AreTrimmedAndDeduplicatedInFirstSeenOrder()
    {
        var thing = ThingValidation.ToThing("i", ExternalId, Valid() with { Tags = ["b", " a", "b", "a ", "A", "b"] });

        Assert.Equal(["b", "a", "A"], thing.Tags);
    }

    [Fact]
    public void ToThing_NoTags_GivesEmptyList()
    {
        Assert.Empty(ThingValidation.ToThing("i", ExternalId, Valid() with { Tags = null }).Tags);
    }

    [Fact]
    public void ToThing_InvalidUpsert_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(() => ThingValidation.ToThing("i", ExternalId, Valid() with { Title = null }));

        Assert.Equal("upsert", exception.ParamName);
    }

    [Fact]
    public void ToThing_InvalidExternalId_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => ThingValidation.ToThing("i", new string('x', 257), Valid()));
    }

    [Fact]
    public void ToThing_NullUpsert_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ThingValidation.ToThing("i", ExternalId, null!));
    }
}
