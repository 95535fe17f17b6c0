using Flattr.HubClient;
using Flattr.Protocol;
using Flattr.Things;
using Flattr.Umbraco.Configuration;
using Flattr.Umbraco.Content;
using Flattr.Umbraco.Sync;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Umbraco.Cms.Core.Models.PublishedContent;
using Umbraco.Cms.Core.Services;
using Umbraco.Cms.Core.Web;

namespace Flattr.Umbraco.Rendering;

/// <inheritdoc/>
internal sealed class FlattrButtons(
    IOptionsMonitor<FlattrOptions> options,
    IOptionsMonitor<FlattrHubOptions> hubOptions,
    CreatorResolver creators,
    IPublicAccessService publicAccess,
    ThingUrlResolver urls,
    IUmbracoContextAccessor umbracoContextAccessor,
    IHttpContextAccessor httpContextAccessor) : IFlattrButtons
{
    public FlattrOptions Options => options.CurrentValue;

    public IPublishedContent? CurrentPage =>
        umbracoContextAccessor.TryGetUmbracoContext(out var context) ? context.PublishedRequest?.PublishedContent : null;

    public FlattrButtonModel? GetButton(IPublishedContent? content, string? culture = null)
    {
        if (content is null || content.ItemType != PublishedItemType.Content || content.GetProperty(FlattrAliases.Enabled) is not { } toggle)
        {
            return null;
        }

        var settings = options.CurrentValue;
        // The Flattr properties are invariant: their value is read without a culture.
        if (!FlattrToggle.IsOn(toggle.GetSourceValue(), settings.EnabledByDefault)
            || !content.IsPublished(culture)
            || content.IsDraft(culture)
            || publicAccess.IsProtected(content.Path).Success)
        {
            return null;
        }

        var hub = hubOptions.CurrentValue;
        if (hub.HubUrl is null || string.IsNullOrEmpty(hub.InstallationId) || string.IsNullOrEmpty(hub.Secret))
        {
            return null;
        }

        if (urls.Resolve(content, culture, RequestBase()) is not { } url)
        {
            return null;
        }

        var creator = creators.Resolve(content.GetProperty(FlattrAliases.Creator)?.GetSourceValue() as string, content.CreatorId);
        var title = ContentThings.CleanTitle(content.Name);
        var category = ThingCategories.TryParse(settings.Category, out var parsed) ? parsed : ThingCategory.Text;
        var link = new ThingLink(hub.InstallationId, ContentThings.ExternalId(content.Key), new Uri(url), title, category, null, creator.ExternalId!, creator.Name);
        return new FlattrButtonModel(FlattrLinks.Create(hub.HubUrl, hub.Secret, link), title, creator.Name, settings.ButtonStyle);
    }

    private Uri? RequestBase()
    {
        var request = httpContextAccessor.HttpContext?.Request;
        return request is null || !request.Host.HasValue ? null : new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");
    }
}
