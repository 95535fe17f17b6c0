using System.Text.Encodings.Web;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Flattr.Protocol;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.AspNetCore.WebUtilities;

namespace Flattr.Umbraco.Tests.Rendering;

/// <summary>Tag helper contexts built by hand (as Razor would) and rendered HTML parsed, not compared as text.</summary>
public static class RenderingTestKit
{
    public static (TagHelperContext Context, TagHelperOutput Output) Tag(string tagName, string childContent = "")
    {
        var context = new TagHelperContext(tagName, [], new Dictionary<object, object>(), Guid.NewGuid().ToString("N"));
        var output = new TagHelperOutput(tagName, [], (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent().SetHtmlContent(childContent)));
        // Razor writes the element's own body unless a tag helper replaces it.
        output.Content.SetHtmlContent(childContent);
        return (context, output);
    }

    public static string Render(TagHelperOutput output)
    {
        using var writer = new StringWriter();
        output.WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }

    public static IDocument Parse(string html) => new HtmlParser().ParseDocument("<!doctype html><html><head></head><body>" + html + "</body></html>");

    /// <summary>Reads a signed button link back as the Hub does and checks its signature with <paramref name="secret"/>.</summary>
    public static ThingLink VerifiedLink(string href, string secret)
    {
        var query = QueryHelpers.ParseQuery(new Uri(href).Query);
        string? Parameter(string name) => query.TryGetValue(name, out var values) ? values.ToString() : null;
        Assert.True(FlattrLinks.TryRead(Parameter, out var link, out var signature, out var problem), problem);
        Assert.True(FlattrLinks.Verify(secret, link!, signature), "The link's signature does not verify with the installation secret.");
        return link!;
    }
}
