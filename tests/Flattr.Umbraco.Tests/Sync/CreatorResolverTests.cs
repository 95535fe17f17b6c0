using Flattr.Umbraco.Content;
using Flattr.Umbraco.Tests.Infrastructure;
using NSubstitute;
using Umbraco.Cms.Core.Configuration.Models;
using Umbraco.Cms.Core.Models.Membership;

namespace Flattr.Umbraco.Tests.Sync;

public sealed class CreatorResolverTests : IAsyncDisposable
{
    private readonly UmbracoTestSite _site = new();

    public ValueTask DisposeAsync() => _site.DisposeAsync();

    public static string AuthorCreatorId(IUser user) => CreatorResolver.UserPrefix + user.Key.ToString("N");

    [Fact]
    public void Resolve_Override_IsUsedAsItIs()
    {
        var creator = _site.Get<CreatorResolver>().Resolve(" guest ", UmbracoModels.AdminUserId);

        Assert.Equal(("guest", null), (creator.ExternalId, creator.Name));
    }

    [Fact]
    public void Resolve_AuthorWithoutMapping_GetsAStableIdFromTheirUserKey()
    {
        var creator = _site.Get<CreatorResolver>().Resolve(null, UmbracoModels.AdminUserId);

        Assert.Equal((AuthorCreatorId(_site.Author), "Ann Author"), (creator.ExternalId, creator.Name));
    }

    [Fact]
    public void Resolve_AuthorMappedByEmail_GetsTheMappedCreator()
    {
        _site.Settings["Flattr:Authors:ANN@example.org"] = "ann-on-the-hub";

        Assert.Equal("ann-on-the-hub", _site.Get<CreatorResolver>().Resolve(null, UmbracoModels.AdminUserId).ExternalId);
    }

    [Fact]
    public void Resolve_AuthorMappedByUserName_GetsTheMappedCreator()
    {
        var jo = new User(new GlobalSettings(), "Jo", "jo@example.org", "jo", "x") { Id = 7 };
        _site.Users.GetUserById(7).Returns(jo);
        _site.Settings["Flattr:Authors:jo"] = "jo-creator";

        Assert.Equal("jo-creator", _site.Get<CreatorResolver>().Resolve(null, 7).ExternalId);
    }

    [Fact]
    public void Resolve_UnknownAuthor_FallsBackToTheSiteDefault()
    {
        var creator = _site.Get<CreatorResolver>().Resolve(null, 42);

        Assert.Equal(("my-blog", "My Blog"), (creator.ExternalId, creator.Name));
    }

    [Fact]
    public void Resolve_AuthorsAreNotCreators_EverythingGoesToTheSite()
    {
        _site.Settings["Flattr:AuthorsAreCreators"] = "false";

        Assert.Equal("my-blog", _site.Get<CreatorResolver>().Resolve(null, UmbracoModels.AdminUserId).ExternalId);
    }
}
