using Flattr.Buttons;
using Flattr.Umbraco.Configuration;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Umbraco.Cms.Core.Models.PublishedContent;

namespace Flattr.Umbraco.Rendering;

/// <summary>
/// <c>&lt;flattr-button /&gt;</c>: the Flattr button of the current page, or of <c>content="…"</c>. Renders nothing for
/// content without a button (see <see cref="IFlattrButtons.GetButton"/>). Enable with
/// <c>@addTagHelper *, Flattr.Umbraco</c> in <c>_ViewImports.cshtml</c>.
/// </summary>
[HtmlTargetElement("flattr-button", TagStructure = TagStructure.WithoutEndTag)]
public sealed class FlattrButtonTagHelper(IFlattrButtons buttons) : TagHelper
{
    /// <summary>The article; the page being rendered when not set.</summary>
    [HtmlAttributeName("content")]
    public IPublishedContent? Content { get; set; }

    /// <summary>The button style; <c>Flattr:ButtonStyle</c> when not set.</summary>
    [HtmlAttributeName("button-style")]
    public ButtonStyle? ButtonStyle { get; set; }

    /// <summary>The culture of a multilingual article; the current one when not set.</summary>
    [HtmlAttributeName("culture")]
    public string? Culture { get; set; }

    /// <inheritdoc/>
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = null;
        if (buttons.GetButton(Content ?? buttons.CurrentPage, Culture) is { } button)
        {
            output.Content.SetHtmlContent(button.ToHtml(ButtonStyle));
        }
        else
        {
            output.SuppressOutput();
        }
    }
}

/// <summary>
/// <c>&lt;flattr-head /&gt;</c> in the page's <c>&lt;head&gt;</c>: the <c>&lt;link rel="payment"&gt;</c> discovery link of the
/// current page, or of <c>content="…"</c>. Renders nothing for content without a button.
/// </summary>
[HtmlTargetElement("flattr-head", TagStructure = TagStructure.WithoutEndTag)]
public sealed class FlattrHeadTagHelper(IFlattrButtons buttons) : TagHelper
{
    /// <summary>The article; the page being rendered when not set.</summary>
    [HtmlAttributeName("content")]
    public IPublishedContent? Content { get; set; }

    /// <summary>The culture of a multilingual article; the current one when not set.</summary>
    [HtmlAttributeName("culture")]
    public string? Culture { get; set; }

    /// <inheritdoc/>
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = null;
        if (buttons.GetButton(Content ?? buttons.CurrentPage, Culture) is { } button)
        {
            output.Content.SetHtmlContent(button.ToHeadLink());
        }
        else
        {
            output.SuppressOutput();
        }
    }
}

/// <summary>
/// <c>flattr-content="Model"</c> on the element that holds an article's body (for example
/// <c>&lt;article flattr-content="Model"&gt;</c>): puts the button inside it before, after or around the content, as
/// <c>Flattr:ButtonPlacement</c> says, so the site owner moves every button with one setting. The element itself is
/// kept; only the attribute is removed. Pass <c>null</c> for the page being rendered.
/// </summary>
[HtmlTargetElement(Attributes = AttributeName)]
public sealed class FlattrContentTagHelper(IFlattrButtons buttons) : TagHelper
{
    private const string AttributeName = "flattr-content";

    /// <summary>The article; the page being rendered when null.</summary>
    [HtmlAttributeName(AttributeName)]
    public IPublishedContent? Content { get; set; }

    /// <summary>The culture of a multilingual article; the current one when not set.</summary>
    [HtmlAttributeName("flattr-culture")]
    public string? Culture { get; set; }

    /// <inheritdoc/>
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var placement = buttons.Options.ButtonPlacement;
        if (placement == ButtonPlacement.None || buttons.GetButton(Content ?? buttons.CurrentPage, Culture) is not { } button)
        {
            return;
        }

        var html = button.ToHtml();
        if (placement is ButtonPlacement.Start or ButtonPlacement.Both)
        {
            output.PreContent.AppendHtml(html);
        }

        if (placement is ButtonPlacement.End or ButtonPlacement.Both)
        {
            output.PostContent.AppendHtml(html);
        }
    }
}
