using Flattr.Hub.Funding;
using Flattr.Hub.Ledger;
using Microsoft.Extensions.Options;
using Stripe;

namespace Flattr.Hub.Payouts;

internal static class PayoutsServiceCollectionExtensions
{
    /// <summary>The ledger, funding, payout runs and (when a secret key is configured) the Stripe client.</summary>
    public static IServiceCollection AddHubMoney(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PayoutOptions>().BindConfiguration(PayoutOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PayoutOptions>, PayoutOptionsValidator>();
        services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<LedgerService>();
        services.AddScoped<LedgerVerifier>();
        services.AddScoped<FundingService>();
        services.AddScoped<PayoutRunService>();
        services.AddScoped<PayoutExecutor>();
        services.AddScoped<PayoutLock>();

        var stripe = configuration.GetSection(StripeOptions.SectionName).Get<StripeOptions>();
        if (stripe?.Enabled == true)
        {
            services.AddSingleton(_ => new StripeClient(new StripeClientOptions
            {
                ApiKey = stripe.SecretKey,
                ApiBase = stripe.ApiBase?.AbsoluteUri.TrimEnd('/') ?? StripeClient.DefaultApiBase,
                // Stripe.net retries connection errors and 5xx with the same idempotency key.
                HttpClient = new SystemNetHttpClient(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, maxNetworkRetries: 2),
            }));
        }

        return services;
    }
}

/// <summary>The minimum payout must be an amount in the Hub's currency.</summary>
internal sealed class PayoutOptionsValidator(IConfiguration configuration) : IValidateOptions<PayoutOptions>
{
    public ValidateOptionsResult Validate(string? name, PayoutOptions options)
    {
        // Read the currency directly: a bad Hub:Currency is HubOptions' error to report, not a second one here.
        var currency = Currency.TryFromCode(configuration["Hub:Currency"] ?? "EUR", out var c) ? c : Currency.Eur;
        return Money.TryParse(options.MinimumPayout, currency, out var minimum) && minimum.MinorUnits > 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Hub:Payouts:MinimumPayout '{options.MinimumPayout}' must be a positive amount in {currency.Code}, such as 10.00.");
    }
}
