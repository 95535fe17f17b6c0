using Flattr.Umbraco.Content;
using Umbraco.Cms.Core;
using Umbraco.Cms.Core.Configuration.Models;
using Umbraco.Cms.Core.Models;
using Umbraco.Cms.Core.Strings;

namespace Flattr.Umbraco.Tests.Infrastructure;

/// <summary>Umbraco's real model types (content types, documents, users), built the way the database would load them.</summary>
public static class UmbracoModels
{
    /// <summary>The id of the admin user Umbraco creates at install (Constants.Security.SuperUserId, obsolete in 17).</summary>
    public const int AdminUserId = -1;

    private static int s_nextId = 2000;

    public static IShortStringHelper ShortStrings { get; } =
        new DefaultShortStringHelper(new DefaultShortStringHelperConfig().WithDefault(new RequestHandlerSettings()));

    /// <summary>The Flattr composition as the installer creates it.</summary>
    public static ContentType Composition()
    {
        var composition = new ContentType(ShortStrings, -1) { Id = NextId(), Alias = FlattrAliases.Composition, Name = "Flattr", Key = Guid.NewGuid() };
        composition.AddPropertyGroup(FlattrAliases.Group, "Flattr");
        composition.AddPropertyType(
            new PropertyType(ShortStrings, Constants.PropertyEditors.Aliases.Boolean, ValueStorageType.Integer, FlattrAliases.Enabled) { Name = "Show Flattr button" },
            FlattrAliases.Group,
            "Flattr");
        composition.AddPropertyType(
            new PropertyType(ShortStrings, Constants.PropertyEditors.Aliases.TextBox, ValueStorageType.Nvarchar, FlattrAliases.Creator) { Name = "Flattr creator" },
            FlattrAliases.Group,
            "Flattr");
        return composition;
    }

    /// <summary>A document type with a title property, composed with <paramref name="composition"/> when given.</summary>
    public static ContentType DocumentType(string alias, ContentType? composition = null)
    {
        var type = new ContentType(ShortStrings, -1) { Id = NextId(), Alias = alias, Name = alias, Key = Guid.NewGuid() };
        type.AddPropertyGroup("content", "Content");
        type.AddPropertyType(
            new PropertyType(ShortStrings, Constants.PropertyEditors.Aliases.TextBox, ValueStorageType.Nvarchar, "bodyText") { Name = "Body" },
            "content",
            "Content");
        if (composition is not null)
        {
            type.AddContentType(composition);
        }

        return type;
    }

    /// <summary>
    /// A document of <paramref name="type"/> as it is after publishing (or as saved, when <paramref name="published"/> is
    /// false): <paramref name="enabled"/> null means the editor never touched the toggle.
    /// </summary>
    public static global::Umbraco.Cms.Core.Models.Content Article(
        IContentType type,
        string name = "A post",
        bool? enabled = null,
        string? creator = null,
        int authorId = AdminUserId,
        bool published = true,
        Guid? key = null)
    {
        var content = new global::Umbraco.Cms.Core.Models.Content(name, -1, type, authorId)
        {
            Id = NextId(),
            Key = key ?? Guid.NewGuid(),
        };
        content.Path = "-1," + content.Id;
        if (enabled is { } on)
        {
            content.SetValue(FlattrAliases.Enabled, on ? 1 : 0);
        }

        if (creator is not null)
        {
            content.SetValue(FlattrAliases.Creator, creator);
        }

        if (published)
        {
            foreach (var property in content.Properties)
            {
                property.PublishValues();
            }

            content.Published = true;
        }

        return content;
    }

    private static int NextId() => Interlocked.Increment(ref s_nextId);
}
