using System.ComponentModel.DataAnnotations;

namespace Flattr.Hub;

/// <summary>The Hub's own settings: the <c>Hub</c> configuration section.</summary>
public sealed class HubOptions
{
    public const string SectionName = "Hub";

    /// <summary>The address readers and installations use for this Hub; flattr, claim and thing links are built on it.</summary>
    /// <value>The default value is http://localhost:5000/.</value>
    [Required]
    public Uri PublicUrl { get; set; } = new("http://localhost:5000/");

    /// <summary>The one settlement currency (ISO 4217).</summary>
    /// <value>The default value is EUR.</value>
    [Required]
    [RegularExpression("^[A-Z]{3}$", ErrorMessage = "Hub:Currency must be a three-letter ISO 4217 code such as EUR.")]
    public string Currency { get; set; } = "EUR";

    /// <summary>The smallest monthly budget a reader may set, in major units of <see cref="Currency"/>.</summary>
    /// <value>The default value is 2.00.</value>
    [Required]
    public string MinimumMonthlyBudget { get; set; } = "2.00";

    /// <summary>How long a creator claim link stays valid.</summary>
    /// <value>The default value is 7 days.</value>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00", ErrorMessage = "Hub:ClaimLinkLifetime must be between 5 minutes and 90 days.")]
    public TimeSpan ClaimLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    // These never throw: options validation reads every property, and reports bad values through HubOptionsValidator.
    public Currency SettlementCurrency => Flattr.Currency.TryFromCode(Currency, out var currency) ? currency : Flattr.Currency.Eur;

    public Money MinimumBudget => Money.TryParse(MinimumMonthlyBudget, SettlementCurrency, out var minimum) ? minimum : new Money(200, Flattr.Currency.Eur);
}

/// <summary>Checks what DataAnnotations cannot: the currency is known and the minimum budget is an amount in it.</summary>
internal sealed class HubOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<HubOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, HubOptions options)
    {
        if (!Flattr.Currency.TryFromCode(options.Currency, out var currency))
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Fail($"Hub:Currency '{options.Currency}' is not a supported ISO 4217 currency.");
        }

        if (!Money.TryParse(options.MinimumMonthlyBudget, currency, out var minimum) || minimum.MinorUnits <= 0)
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                $"Hub:MinimumMonthlyBudget '{options.MinimumMonthlyBudget}' must be a positive amount in {currency.Code}, such as 2.00.");
        }

        if (!options.PublicUrl.IsAbsoluteUri || options.PublicUrl.Scheme is not ("http" or "https"))
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Fail($"Hub:PublicUrl '{options.PublicUrl}' must be an absolute http or https address.");
        }

        return Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
