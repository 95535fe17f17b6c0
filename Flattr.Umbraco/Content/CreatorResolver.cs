using Flattr.Protocol;
using Flattr.Umbraco.Configuration;
using Microsoft.Extensions.Options;
using Umbraco.Cms.Core.Services;

namespace Flattr.Umbraco.Content;

/// <summary>
/// Decides who gets an article's flattrs: the article's <c>flattrCreator</c> override, else its author (the Umbraco user
/// who created it) mapped to a Hub creator, else the site's default creator. Sync and rendering both use it, so the
/// signed button link and the synced thing always name the same creator.
/// </summary>
internal sealed class CreatorResolver(IUserService users, IOptionsMonitor<FlattrOptions> options)
{
    /// <summary>The prefix of the creator ids given to authors that <see cref="FlattrOptions.Authors"/> does not map.</summary>
    public const string UserPrefix = "umbraco-user-";

    public CreatorUpsert Resolve(string? creatorOverride, int authorUserId)
    {
        var settings = options.CurrentValue;
        if (!string.IsNullOrWhiteSpace(creatorOverride))
        {
            return new CreatorUpsert { ExternalId = creatorOverride.Trim() };
        }

        if (settings.AuthorsAreCreators && users.GetUserById(authorUserId) is { } user)
        {
            var name = string.IsNullOrWhiteSpace(user.Name) ? null : user.Name;
            if ((user.Username is { } userName && settings.Authors.TryGetValue(userName, out var mapped))
                || (user.Email is { } email && settings.Authors.TryGetValue(email, out mapped)))
            {
                return new CreatorUpsert { ExternalId = mapped, Name = name };
            }

            return new CreatorUpsert { ExternalId = UserPrefix + user.Key.ToString("N"), Name = name };
        }

        return new CreatorUpsert { ExternalId = settings.DefaultCreator, Name = settings.DefaultCreatorName };
    }
}
