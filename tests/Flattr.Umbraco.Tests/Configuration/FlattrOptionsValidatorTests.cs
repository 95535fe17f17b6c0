using Flattr.Umbraco.Configuration;

namespace Flattr.Umbraco.Tests.Configuration;

public sealed class FlattrOptionsValidatorTests
{
    private static FlattrOptions Valid() => new() { DefaultCreator = "my-blog" };

    private static IReadOnlyList<string> Failures(FlattrOptions options) =>
        new FlattrOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Validate_Defaults_AreValidOnceADefaultCreatorIsSet()
    {
        Assert.Empty(Failures(Valid()));
    }

    [Fact]
    public void Validate_DocumentTypeGivenByName_SaysToUseTheAlias()
    {
        var options = Valid();
        options.DocumentTypes.Add("Blog post");

        var failure = Assert.Single(Failures(options));

        Assert.Contains("'Blog post', which is not a document type alias", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownCategory_ListsTheCategories()
    {
        var options = Valid();
        options.Category = "essays";

        Assert.Contains("use one of: text, images, video, audio, software, people, rest", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RelativeSiteUrl_AsksForTheAbsoluteAddress()
    {
        var options = Valid();
        options.SiteUrl = new Uri("/blog", UriKind.Relative);

        Assert.StartsWith("Flattr: SiteUrl '/blog' must be the absolute http or https address", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadSyncTimings_ExplainTheLimits()
    {
        var options = Valid();
        options.Sync.Interval = TimeSpan.Zero;
        options.Sync.ReconcileInterval = TimeSpan.FromSeconds(5);
        options.Sync.MaxItemsPerPass = 0;

        var failures = Failures(options);

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Flattr: Sync:Interval must be at least one second", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_CreatorIdsWithLineBreaks_AreRefused()
    {
        var options = new FlattrOptions { DefaultCreator = "my\nblog" };
        options.Authors["ann"] = " ";

        var failures = Failures(options);

        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.Contains("Authors maps 'ann'", StringComparison.Ordinal));
    }
}
