using System.Security.Cryptography;
using System.Text;
using Flattr.Things;

namespace Flattr.Protocol;

/// <summary>What a button link tells the Hub about a thing, so a thing that was never synced is registered on its first flattr.</summary>
/// <param name="InstallationId">The installation the thing lives on.</param>
/// <param name="ExternalId">The installation's id for the thing.</param>
/// <param name="Url">The thing's public address; the reader returns there after flattring.</param>
/// <param name="Title">The title.</param>
/// <param name="Category">The category.</param>
/// <param name="Language">The language tag, if any.</param>
/// <param name="CreatorExternalId">The installation's id for the creator.</param>
/// <param name="CreatorName">The creator's display name, if any.</param>
public sealed record ThingLink(
    string InstallationId,
    string ExternalId,
    Uri Url,
    string Title,
    ThingCategory Category,
    string? Language,
    string CreatorExternalId,
    string? CreatorName);

/// <summary>
/// Signed button links: <c>GET {hub}/flattr?installation=…&amp;thing=…&amp;…&amp;sig=v1=…</c>. The signature is an
/// HMAC-SHA256 with the installation secret over <c>flattr-link-v1</c> followed by the query's parameters in their
/// fixed order, each value percent-encoded; nobody without the secret can forge a thing for someone else's creator.
/// Links carry no timestamp, because pages holding them are cached for years.
/// </summary>
public static class FlattrLinks
{
    /// <summary>The Hub path that button links point at.</summary>
    public const string Path = "/flattr";

    /// <summary>The name of the signature parameter.</summary>
    public const string SignatureParameter = "sig";

    private static readonly string[] ParameterNames =
        ["installation", "thing", "url", "title", "category", "language", "creator", "creatorName"];

    /// <summary>The parameter names in signing order (without <c>sig</c>).</summary>
    public static IReadOnlyList<string> Parameters => ParameterNames;

    /// <summary>Builds the signed link for <paramref name="link"/> on the Hub at <paramref name="hubBaseUrl"/>.</summary>
    public static Uri Create(Uri hubBaseUrl, string secret, ThingLink link)
    {
        ArgumentNullException.ThrowIfNull(hubBaseUrl);
        ArgumentNullException.ThrowIfNull(link);
        var query = Query(link);
        var builder = new UriBuilder(hubBaseUrl)
        {
            Path = hubBaseUrl.AbsolutePath.TrimEnd('/') + Path,
            Query = $"{query}&{SignatureParameter}={Uri.EscapeDataString(Sign(secret, query))}",
        };
        return builder.Uri;
    }

    /// <summary>
    /// Reads a link's parameters through <paramref name="parameter"/> (a lookup of decoded query values). Returns false,
    /// with a reason, when a required parameter is missing or invalid.
    /// </summary>
    public static bool TryRead(Func<string, string?> parameter, out ThingLink? link, out string? signature, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        link = null;
        signature = parameter(SignatureParameter);
        string? Required(string name) => string.IsNullOrEmpty(parameter(name)) ? null : parameter(name);

        var installation = Required("installation");
        var thing = Required("thing");
        var url = Required("url");
        var title = Required("title");
        var creator = Required("creator");
        if (installation is null || thing is null || url is null || title is null || creator is null || string.IsNullOrEmpty(signature))
        {
            problem = "The link is incomplete: installation, thing, url, title, creator and sig are required.";
            return false;
        }

        var upsert = new ThingUpsert
        {
            Url = url,
            Title = title,
            Category = parameter("category"),
            Language = NullIfEmpty(parameter("language")),
            Creator = new CreatorUpsert { ExternalId = creator, Name = NullIfEmpty(parameter("creatorName")) },
        };
        var errors = ThingValidation.Validate(thing, upsert);
        if (errors.Count > 0)
        {
            problem = "The link is invalid: " + string.Join(" ", errors.SelectMany(e => e.Value));
            return false;
        }

        var parsed = ThingValidation.ToThing(installation, thing, upsert);
        // The raw title is kept: the signature covers exactly what the installation sent.
        link = new ThingLink(installation, thing, parsed.Url, title, parsed.Category, parsed.Language, creator, upsert.Creator.Name);
        problem = null;
        return true;
    }

    /// <summary>Checks a link's signature in constant time.</summary>
    public static bool Verify(string secret, ThingLink link, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, Query(link)));
        var presented = Encoding.UTF8.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    private static string Query(ThingLink link)
    {
        string?[] values =
        [
            link.InstallationId, link.ExternalId, link.Url.AbsoluteUri, link.Title, link.Category.ToWireName(),
            link.Language, link.CreatorExternalId, link.CreatorName,
        ];
        var builder = new StringBuilder();
        for (var i = 0; i < ParameterNames.Length; i++)
        {
            builder.Append(i == 0 ? string.Empty : "&").Append(ParameterNames[i]).Append('=').Append(Uri.EscapeDataString(values[i] ?? string.Empty));
        }

        return builder.ToString();
    }

    private static string Sign(string secret, string query)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes("flattr-link-v1&" + query));
        return "v1=" + Convert.ToHexStringLower(mac);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
