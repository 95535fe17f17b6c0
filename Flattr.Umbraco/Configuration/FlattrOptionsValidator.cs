using Flattr.Things;
using Microsoft.Extensions.Options;

namespace Flattr.Umbraco.Configuration;

/// <summary>
/// Checks <see cref="FlattrOptions"/> when the site starts, with messages a site owner can act on. The Hub connection
/// settings are checked by Flattr.Core's own validator, so each problem is reported once.
/// </summary>
internal sealed class FlattrOptionsValidator : IValidateOptions<FlattrOptions>
{
    public ValidateOptionsResult Validate(string? name, FlattrOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DefaultCreator))
        {
            failures.Add("Flattr: DefaultCreator is not set. Set it to the creator id that receives flattrs for articles without an author, "
                + "for example your site's name (\"my-blog\"); you can claim it on the Hub later from the Flattr dashboard in Umbraco.");
        }
        else if (!IsCreatorId(options.DefaultCreator))
        {
            failures.Add($"Flattr: DefaultCreator must be at most {ThingLimits.ExternalIdLength} characters without line breaks or other control characters.");
        }

        if (options.DefaultCreatorName is { } creatorName && (creatorName.Length > ThingLimits.CreatorNameLength || creatorName.Any(char.IsControl)))
        {
            failures.Add($"Flattr: DefaultCreatorName must be at most {ThingLimits.CreatorNameLength} characters without line breaks or other control characters.");
        }

        foreach (var alias in options.DocumentTypes)
        {
            if (string.IsNullOrWhiteSpace(alias) || !alias.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || !char.IsAsciiLetter(alias[0]))
            {
                failures.Add($"Flattr: DocumentTypes contains '{alias}', which is not a document type alias. Use the alias shown in "
                    + "Settings > Document Types (for example \"blogPost\"), not its name.");
            }
        }

        if (!ThingCategories.TryParse(options.Category, out _))
        {
            failures.Add($"Flattr: Category '{options.Category}' is not a Flattr category; use one of: {string.Join(", ", ThingCategories.WireNames)}.");
        }

        if (options.SiteUrl is { } site && (!site.IsAbsoluteUri || (site.Scheme != Uri.UriSchemeHttps && site.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"Flattr: SiteUrl '{site}' must be the absolute http or https address of your site, for example https://www.example.org/.");
        }

        foreach (var (user, creator) in options.Authors)
        {
            if (!IsCreatorId(creator))
            {
                failures.Add($"Flattr: Authors maps '{user}' to an empty or invalid creator id.");
            }
        }

        if (!Enum.IsDefined(options.ButtonStyle))
        {
            failures.Add("Flattr: ButtonStyle must be Default, Compact or Text.");
        }

        if (!Enum.IsDefined(options.ButtonPlacement))
        {
            failures.Add("Flattr: ButtonPlacement must be End, Start, Both or None.");
        }

        if (options.Sync.Interval < TimeSpan.FromSeconds(1))
        {
            failures.Add("Flattr: Sync:Interval must be at least one second, for example \"00:00:30\".");
        }

        if (options.Sync.ReconcileInterval < TimeSpan.FromMinutes(1))
        {
            failures.Add("Flattr: Sync:ReconcileInterval must be at least one minute, for example \"1.00:00:00\" for daily.");
        }

        if (options.Sync.MaxItemsPerPass is < 1 or > 10_000)
        {
            failures.Add("Flattr: Sync:MaxItemsPerPass must be between 1 and 10000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsCreatorId(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= ThingLimits.ExternalIdLength && !id.Any(char.IsControl);
}
