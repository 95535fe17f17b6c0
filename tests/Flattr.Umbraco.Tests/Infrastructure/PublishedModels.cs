using Flattr.Umbraco.Content;
#if !UMBRACO_18
using NSubstitute;
#endif
using Umbraco.Cms.Core.Models;
using Umbraco.Cms.Core.Models.PublishedContent;
using Umbraco.Cms.Core.PublishedCache.Internal;

namespace Flattr.Umbraco.Tests.Infrastructure;

/// <summary>Published content as templates see it, built from Umbraco's own in-memory published content types.</summary>
public static class PublishedModels
{
    private static int s_nextId = 5000;

    /// <summary>A published page of a type with (or without) the Flattr toggle.</summary>
    public static IPublishedContent Page(
        string name = "A post",
        bool withToggle = true,
        object? enabled = null,
        string? creator = null,
        PublishedItemType itemType = PublishedItemType.Content,
        int creatorId = UmbracoModels.AdminUserId)
    {
        var id = Interlocked.Increment(ref s_nextId);
        var type = new PublishedContentType(Guid.NewGuid(), id, withToggle ? "blogPost" : "homePage", itemType, [], new List<PublishedPropertyType>(), ContentVariation.Nothing, false);
        var properties = new List<IPublishedProperty>();
        if (withToggle)
        {
            properties.Add(new InternalPublishedProperty { Alias = FlattrAliases.Enabled, SolidSourceValue = enabled, SolidHasValue = enabled is not null });
            properties.Add(new InternalPublishedProperty { Alias = FlattrAliases.Creator, SolidSourceValue = creator, SolidHasValue = creator is not null });
        }

        var page = new InternalPublishedContent(type)
        {
            Id = id,
            Key = Guid.NewGuid(),
            Name = name,
            Path = "-1," + id,
            CreatorId = creatorId,
            Properties = properties,
        };
        return itemType == PublishedItemType.Content ? page : new Wrapped(page, itemType, published: true, draft: false);
    }

    /// <summary>The same page as it looks when it is not published, or shown as a draft in preview.</summary>
    public static IPublishedContent NotPublished(IPublishedContent page, bool draft) => new Wrapped(page, page.ItemType, published: draft, draft: draft);

    // Umbraco's own wrapper for published content, with the state a test needs.
    private sealed class Wrapped(IPublishedContent content, PublishedItemType itemType, bool published, bool draft)
#if UMBRACO_18
        : PublishedContentWrapped(content) // 18 dropped the value fallback parameter
#else
        : PublishedContentWrapped(content, Substitute.For<IPublishedValueFallback>())
#endif
    {
        public override PublishedItemType ItemType => itemType;

        public override bool IsPublished(string? culture = null) => published;

        public override bool IsDraft(string? culture = null) => draft;
    }
}
