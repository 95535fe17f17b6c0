using Flattr.Protocol;
using Flattr.Things;
using Microsoft.AspNetCore.WebUtilities;

namespace Flattr.Core.Tests.Protocol;

public sealed class FlattrLinksTests
{
    private const string Secret = "installation-secret";

    private static readonly Uri Hub = new("https://hub.example/");

    private static readonly ThingLink Sample = new(
        "inst-1",
        "post/42 #1",
        new Uri("https://blog.example/posts/42?ref=feed"),
        "Café & Crème \"☕\" = 100%",
        ThingCategory.Text,
        "en-GB",
        "ann",
        "Ann Example");

    /// <summary>Reads a link the way the Hub does: the query parsed by ASP.NET Core, then TryRead.</summary>
    private static (bool Ok, ThingLink? Link, string? Signature, string? Problem) Read(Uri uri)
    {
        var query = QueryHelpers.ParseQuery(uri.Query);
        var ok = FlattrLinks.TryRead(
            name => query.TryGetValue(name, out var values) ? values.ToString() : null,
            out var link,
            out var signature,
            out var problem);
        return (ok, link, signature, problem);
    }

    private static (bool Ok, ThingLink? Link, string? Signature, string? Problem) Read(Dictionary<string, string> parameters)
    {
        var ok = FlattrLinks.TryRead(
            name => parameters.TryGetValue(name, out var value) ? value : null,
            out var link,
            out var signature,
            out var problem);
        return (ok, link, signature, problem);
    }

    private static Dictionary<string, string> ParametersOf(Uri uri) =>
        QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    [Fact]
    public void Create_ThenTryReadAndVerify_RoundTrips()
    {
        var uri = FlattrLinks.Create(Hub, Secret, Sample);

        var (ok, link, signature, problem) = Read(uri);

        Assert.True(ok, problem);
        Assert.Null(problem);
        Assert.Equal(Sample, link);
        Assert.True(FlattrLinks.Verify(Secret, link!, signature));
    }

    [Fact]
    public void Create_LinkWithoutOptionalFields_RoundTripsWithNulls()
    {
        var minimal = new ThingLink("inst-1", "42", new Uri("https://blog.example/42"), "Hello", ThingCategory.Rest, null, "ann", null);

        var (ok, link, signature, problem) = Read(FlattrLinks.Create(Hub, Secret, minimal));

        Assert.True(ok, problem);
        Assert.Equal(minimal, link);
        Assert.Null(link!.Language);
        Assert.Null(link.CreatorName);
        Assert.True(FlattrLinks.Verify(Secret, link, signature));
    }

    [Theory]
    [InlineData("\"Quoted\" and 'single'")]
    [InlineData("\"><script>alert(1)</script>")]
    [InlineData("a&b=c&sig=v1%3Dforged&creator=mallory")]
    [InlineData("1 + 1 = 2; 100% sure?")]
    [InlineData("path/with\\slashes#and?query")]
    [InlineData("  padded on both sides  ")]
    [InlineData("日本語のタイトル")]
    [InlineData("مرحبا بالعالم \u200F")]
    [InlineData("Emoji 😀🎉👩‍👩‍👧 flags 🇸🇪")]
    [InlineData("Zalgo Z̷̢a̶l̵g̸o")]
    public void Create_HostileOrUnicodeTitle_RoundTripsAndVerifies(string title)
    {
        var original = Sample with { Title = title };

        var (ok, link, signature, problem) = Read(FlattrLinks.Create(Hub, Secret, original));

        Assert.True(ok, problem);
        Assert.Equal(title, link!.Title);
        Assert.Equal(original, link);
        Assert.True(FlattrLinks.Verify(Secret, link, signature));
    }

    [Fact]
    public void Create_HostileTitle_CannotInjectParameters()
    {
        var uri = FlattrLinks.Create(Hub, Secret, Sample with { Title = "x&creator=mallory&sig=v1=00" });

        var query = QueryHelpers.ParseQuery(uri.Query);

        Assert.Equal("ann", query["creator"].ToString());
        Assert.Single(query["creator"]);
        Assert.Single(query["sig"]);
        Assert.Equal("x&creator=mallory&sig=v1=00", query["title"].ToString());
    }

    public static TheoryData<string, ThingLink> SingleChanges => new()
    {
        { "installation", Sample with { InstallationId = "inst-2" } },
        { "thing", Sample with { ExternalId = "post/43 #1" } },
        { "url", Sample with { Url = new Uri("https://blog.example/posts/42?ref=feeD") } },
        { "title", Sample with { Title = "Café & Crème \"☕\" = 100 %" } },
        { "category", Sample with { Category = ThingCategory.Audio } },
        { "language", Sample with { Language = "en-US" } },
        { "language removed", Sample with { Language = null } },
        { "creator", Sample with { CreatorExternalId = "mallory" } },
        { "creatorName", Sample with { CreatorName = "Mallory" } },
        { "creatorName removed", Sample with { CreatorName = null } },
    };

    [Theory]
    [MemberData(nameof(SingleChanges))]
    public void Verify_AnySingleParameterChanged_IsFalse(string changed, ThingLink tampered)
    {
        var (_, link, signature, _) = Read(FlattrLinks.Create(Hub, Secret, Sample));
        Assert.True(FlattrLinks.Verify(Secret, link!, signature));

        Assert.False(FlattrLinks.Verify(Secret, tampered, signature), $"changing {changed} kept the signature valid");
    }

    [Theory]
    [InlineData("title", "Another title")]
    [InlineData("url", "https://evil.example/posts/42?ref=feed")]
    [InlineData("creator", "mallory")]
    [InlineData("installation", "inst-2")]
    [InlineData("category", "software")]
    [InlineData("thing", "post-43")]
    [InlineData("language", "de")]
    [InlineData("creatorName", "Mallory")]
    public void Verify_ParameterEditedInTheAddressBar_IsFalse(string name, string value)
    {
        var parameters = ParametersOf(FlattrLinks.Create(Hub, Secret, Sample));
        parameters[name] = value;

        var (ok, link, signature, problem) = Read(parameters);

        Assert.True(ok, problem);
        Assert.False(FlattrLinks.Verify(Secret, link!, signature));
    }

    [Fact]
    public void Verify_WrongSecret_IsFalse()
    {
        var (_, link, signature, _) = Read(FlattrLinks.Create(Hub, Secret, Sample));

        Assert.False(FlattrLinks.Verify("installation-secreT", link!, signature));
        Assert.False(FlattrLinks.Verify("another-installation", link!, signature));
    }

    [Fact]
    public void Verify_LinkSignedWithAnotherSecret_IsFalse()
    {
        var (_, link, signature, _) = Read(FlattrLinks.Create(Hub, "someone-else", Sample));

        Assert.False(FlattrLinks.Verify(Secret, link!, signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=")]
    [InlineData("v1=8eab641591017d8d38a05071d4f7a01733b7de8d9856376ad096cf576e6b968")]
    [InlineData("v1=8EAB641591017D8D38A05071D4F7A01733B7DE8D9856376AD096CF576E6B9688")]
    [InlineData("v1=8eab641591017d8d38a05071d4f7a01733b7de8d9856376ad096cf576e6b9688 ")]
    public void Verify_MissingOrAlteredSignature_IsFalse(string? signature)
    {
        Assert.False(FlattrLinks.Verify(Secret, Sample, signature));
    }

    [Fact]
    public void TryRead_SignatureMissing_IsFalseWithProblem()
    {
        var parameters = ParametersOf(FlattrLinks.Create(Hub, Secret, Sample));
        parameters.Remove("sig");

        var (ok, link, signature, problem) = Read(parameters);

        Assert.False(ok);
        Assert.Null(link);
        Assert.Null(signature);
        Assert.NotNull(problem);
        Assert.Contains("sig", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("installation")]
    [InlineData("thing")]
    [InlineData("url")]
    [InlineData("title")]
    [InlineData("creator")]
    [InlineData("sig")]
    public void TryRead_RequiredParameterMissingOrEmpty_IsFalseWithProblemNamingIt(string name)
    {
        var missing = ParametersOf(FlattrLinks.Create(Hub, Secret, Sample));
        missing.Remove(name);
        var empty = ParametersOf(FlattrLinks.Create(Hub, Secret, Sample));
        empty[name] = string.Empty;

        foreach (var parameters in new[] { missing, empty })
        {
            var (ok, link, _, problem) = Read(parameters);

            Assert.False(ok);
            Assert.Null(link);
            Assert.NotNull(problem);
            Assert.Contains(name, problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("url", "javascript:alert(1)")]
    [InlineData("url", "/relative/path")]
    [InlineData("url", "ftp://blog.example/file")]
    [InlineData("category", "gifts")]
    [InlineData("language", "e n")]
    [InlineData("title", "two\nlines")]
    public void TryRead_InvalidParameter_IsFalseWithProblem(string name, string value)
    {
        var parameters = ParametersOf(FlattrLinks.Create(Hub, Secret, Sample));
        parameters[name] = value;

        var (ok, link, _, problem) = Read(parameters);

        Assert.False(ok);
        Assert.Null(link);
        Assert.NotNull(problem);
        Assert.StartsWith("The link is invalid:", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_OptionalParametersAbsent_DefaultsCategoryToRest()
    {
        var parameters = ParametersOf(FlattrLinks.Create(Hub, Secret, Sample));
        parameters.Remove("category");
        parameters.Remove("language");
        parameters.Remove("creatorName");

        var (ok, link, _, problem) = Read(parameters);

        Assert.True(ok, problem);
        Assert.Equal(ThingCategory.Rest, link!.Category);
        Assert.Null(link.Language);
        Assert.Null(link.CreatorName);
    }

    [Theory]
    [InlineData("https://hub.example/sub/", "/sub/flattr")]
    [InlineData("https://hub.example/sub", "/sub/flattr")]
    [InlineData("https://hub.example/a/b/", "/a/b/flattr")]
    [InlineData("https://hub.example/", "/flattr")]
    [InlineData("https://hub.example", "/flattr")]
    public void Create_HubBaseUrlWithPath_KeepsThePath(string hub, string expectedPath)
    {
        var uri = FlattrLinks.Create(new Uri(hub), Secret, Sample);

        Assert.Equal("https", uri.Scheme);
        Assert.Equal("hub.example", uri.Host);
        Assert.Equal(expectedPath, uri.AbsolutePath);
        Assert.True(Read(uri).Ok);
    }

    [Fact]
    public void Create_HubWithPort_KeepsSchemeHostAndPort()
    {
        var uri = FlattrLinks.Create(new Uri("http://localhost:5080/"), Secret, Sample);

        Assert.Equal("http://localhost:5080/flattr", uri.GetLeftPart(UriPartial.Path));
    }

    [Fact]
    public void Create_Link_CarriesExactlyTheSignedParametersAndNoTimestamp()
    {
        var names = QueryHelpers.ParseQuery(FlattrLinks.Create(Hub, Secret, Sample).Query).Keys;

        Assert.Equal(
            ["installation", "thing", "url", "title", "category", "language", "creator", "creatorName", "sig"],
            names);
        Assert.Equal(["installation", "thing", "url", "title", "category", "language", "creator", "creatorName"], FlattrLinks.Parameters);
    }

    [Fact]
    public void Create_CalledAgainLater_GivesTheIdenticalLink()
    {
        // No timestamp or nonce: a page cached for years keeps a working button.
        var first = FlattrLinks.Create(Hub, Secret, Sample);
        var second = FlattrLinks.Create(new Uri("https://hub.example/"), Secret, Sample with { });

        Assert.Equal(first.AbsoluteUri, second.AbsoluteUri);
    }

    [Fact]
    public void Create_EmptySecret_Throws()
    {
        Assert.Throws<ArgumentException>(() => FlattrLinks.Create(Hub, string.Empty, Sample));
    }

    // The canonical form, computed independently of the C# code (values percent-encoded per RFC 3986 in the fixed
    // parameter order, then HMAC-SHA256 over "flattr-link-v1&" + that query):
    // python3 -c 'import hmac,hashlib,urllib.parse as u; q="&".join(k+"="+u.quote(v,safe="") for k,v in [("installation","inst-1"),("thing","post/42 #1"),("url","https://blog.example/posts/42?ref=feed"),("title","Café & Crème \"☕\" = 100%"),("category","text"),("language","en-GB"),("creator","ann"),("creatorName","Ann Example")]); print(q); print("v1="+hmac.new(b"installation-secret",("flattr-link-v1&"+q).encode(),hashlib.sha256).hexdigest())'
    private const string SampleQuery =
        "installation=inst-1&thing=post%2F42%20%231&url=https%3A%2F%2Fblog.example%2Fposts%2F42%3Fref%3Dfeed"
        + "&title=Caf%C3%A9%20%26%20Cr%C3%A8me%20%22%E2%98%95%22%20%3D%20100%25&category=text&language=en-GB"
        + "&creator=ann&creatorName=Ann%20Example";

    private const string SampleSignature = "v1=8eab641591017d8d38a05071d4f7a01733b7de8d9856376ad096cf576e6b9688";

    // python3 -c 'import hmac,hashlib,urllib.parse as u; q="&".join(k+"="+u.quote(v,safe="") for k,v in [("installation","inst-1"),("thing","42"),("url","https://blog.example/42"),("title","Hello"),("category","rest"),("language",""),("creator","ann"),("creatorName","")]); print(q); print("v1="+hmac.new(b"installation-secret",("flattr-link-v1&"+q).encode(),hashlib.sha256).hexdigest())'
    private const string MinimalQuery =
        "installation=inst-1&thing=42&url=https%3A%2F%2Fblog.example%2F42&title=Hello&category=rest&language=&creator=ann&creatorName=";

    private const string MinimalSignature = "v1=e078807b57cd994ddbe3bd8ceae846108adec0b9f612d577e26a1bee352a79ad";

    [Fact]
    public void Create_FixedLink_HasTheIndependentlyComputedCanonicalQueryAndSignature()
    {
        var uri = FlattrLinks.Create(Hub, Secret, Sample);

        Assert.Equal(SampleSignature, QueryHelpers.ParseQuery(uri.Query)["sig"].ToString());
        Assert.Equal("?" + SampleQuery + "&sig=" + Uri.EscapeDataString(SampleSignature), uri.Query);
        Assert.Equal("https://hub.example/flattr?" + SampleQuery + "&sig=v1%3D8eab641591017d8d38a05071d4f7a01733b7de8d9856376ad096cf576e6b9688", uri.AbsoluteUri);
        Assert.True(FlattrLinks.Verify(Secret, Sample, SampleSignature));
    }

    [Fact]
    public void Create_LinkWithNullOptionals_SignsEmptyValuesInTheirPlaces()
    {
        var minimal = new ThingLink("inst-1", "42", new Uri("https://blog.example/42"), "Hello", ThingCategory.Rest, null, "ann", null);

        var uri = FlattrLinks.Create(Hub, Secret, minimal);

        Assert.Equal("?" + MinimalQuery + "&sig=" + Uri.EscapeDataString(MinimalSignature), uri.Query);
        Assert.True(FlattrLinks.Verify(Secret, minimal, MinimalSignature));
    }
}
