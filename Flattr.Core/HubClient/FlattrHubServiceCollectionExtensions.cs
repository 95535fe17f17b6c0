using Flattr.HubClient;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

// The conventional namespace for IServiceCollection extensions, so hosts find the method without another using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="FlattrHubClient"/>.</summary>
public static class FlattrHubServiceCollectionExtensions
{
    /// <summary>
    /// Registers the signed, resilient Hub client. Bind or configure <see cref="FlattrHubOptions"/> (for example from the
    /// CMS module's settings); they are validated when the host starts. The returned builder lets a host tune the pipeline.
    /// </summary>
    public static IHttpClientBuilder AddFlattrHubClient(this IServiceCollection services, Action<FlattrHubOptions>? configure = null)
    {
        var options = services.AddOptions<FlattrHubOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FlattrHubOptions>, FlattrHubOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<RequestSigningHandler>();

        var builder = services.AddHttpClient<FlattrHubClient>((provider, client) =>
        {
            var settings = provider.GetRequiredService<IOptionsMonitor<FlattrHubOptions>>().CurrentValue;
            var hub = settings.HubUrl!;
            // A trailing slash makes relative request paths resolve below any path the Hub is mounted at.
            client.BaseAddress = hub.AbsoluteUri.EndsWith('/') ? hub : new Uri(hub.AbsoluteUri + "/");
            client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns every timeout
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Flattr.Core/1.0");
        });

        // Order matters: the resilience handler is added first, so it is the outer handler and every retry passes
        // through the signing handler again.
        builder.AddStandardResilienceHandler().Configure((HttpStandardResilienceOptions resilience, IServiceProvider provider) =>
        {
            FlattrHubOptions settings;
            try
            {
                settings = provider.GetRequiredService<IOptionsMonitor<FlattrHubOptions>>().CurrentValue;
            }
            catch (OptionsValidationException)
            {
                // Invalid settings are reported once, by FlattrHubOptions' own validation (at start, or when the client
                // is created). Failing here too would turn that one clear message into an AggregateException of duplicates.
                return;
            }

            resilience.AttemptTimeout.Timeout = settings.AttemptTimeout;
            resilience.TotalRequestTimeout.Timeout = settings.TotalTimeout;
            resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(settings.AttemptTimeout.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        });
        builder.AddHttpMessageHandler<RequestSigningHandler>();
        return builder;
    }
}
