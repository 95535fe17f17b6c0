using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Flattr.OrchardCore.Recipe.Tests;

/// <summary>
/// Parses an HTML fragment with AngleSharp and describes the resulting tree canonically: one line per node, elements
/// with their attributes sorted by name, text nodes exactly (whitespace included, since a space is part of the text
/// style's markup). Two fragments are the same HTML when their descriptions are equal, however each was encoded or
/// quoted; a difference shows as the first differing line.
/// </summary>
internal static class HtmlTree
{
    private static readonly HtmlParser Parser = new();

    public static string Describe(string html)
    {
        var document = Parser.ParseDocument("<!DOCTYPE html><html><head></head><body>" + html + "</body></html>");
        var builder = new StringBuilder();
        foreach (var node in document.Body!.ChildNodes)
        {
            Append(builder, node, depth: 0);
        }

        return builder.ToString();
    }

    public static void AssertSame(string expectedHtml, string actualHtml)
    {
        var expected = Describe(expectedHtml);
        var actual = Describe(actualHtml);
        Assert.False(string.IsNullOrEmpty(expected), "The expected HTML is empty.");
        Assert.Equal(expected, actual);
    }

    private static void Append(StringBuilder builder, INode node, int depth)
    {
        builder.Append(' ', depth * 2);
        switch (node)
        {
            case IElement element:
                builder.Append('<').Append(element.NamespaceUri == NamespaceNames.SvgUri ? "svg:" : string.Empty).Append(element.LocalName);
                foreach (var attribute in element.Attributes.OrderBy(a => a.Name, StringComparer.Ordinal))
                {
                    builder.Append(' ').Append(attribute.Name).Append("=\u00ab").Append(attribute.Value).Append('\u00bb');
                }

                builder.Append(">\n");
                foreach (var child in element.ChildNodes)
                {
                    Append(builder, child, depth + 1);
                }

                break;
            case IText text:
                builder.Append("text \u00ab").Append(text.Data).Append("\u00bb\n");
                break;
            default:
                builder.Append(node.NodeName).Append('\n');
                break;
        }
    }
}
