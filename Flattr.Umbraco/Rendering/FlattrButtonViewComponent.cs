using Flattr.Buttons;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewComponents;
using Umbraco.Cms.Core.Models.PublishedContent;

namespace Flattr.Umbraco.Rendering;

/// <summary>
/// <c>@await Component.InvokeAsync("FlattrButton", new { content = Model })</c>: the button rendered through the view
/// <c>Views/Shared/Components/FlattrButton/Default.cshtml</c>, which a site overrides by adding its own view at that
/// path (the model is a <see cref="FlattrButtonModel"/>). Renders nothing for content without a button.
/// </summary>
[ViewComponent(Name = "FlattrButton")]
public sealed class FlattrButtonViewComponent(IFlattrButtons buttons) : ViewComponent
{
    /// <summary>Renders the button of <paramref name="content"/>, or of the page being rendered.</summary>
    public IViewComponentResult Invoke(IPublishedContent? content = null, ButtonStyle? style = null, string? culture = null)
    {
        if (buttons.GetButton(content ?? buttons.CurrentPage, culture) is not { } button)
        {
            return new ContentViewComponentResult(string.Empty);
        }

        return View(style is { } chosen ? button with { Style = chosen } : button);
    }
}
