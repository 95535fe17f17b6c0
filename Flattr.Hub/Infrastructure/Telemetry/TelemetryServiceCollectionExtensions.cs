using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Flattr.Hub.Infrastructure.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Traces (requests, outgoing HTTP, the Hub's own spans) and metrics (request durations, runtime, clicks recorded,
    /// signature failures, things upserted), exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without
    /// an exporter nothing is collected: every request would otherwise record a span that goes nowhere, about 5% of the
    /// Hub's CPU time on the click path (docs/performance.md). The Hub's meter is there either way, for
    /// <c>dotnet-counters</c> and other in-process listeners.
    /// </summary>
    public static IServiceCollection AddHubTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<HubMetrics>();
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("Flattr.Hub"))
            .WithTracing(tracing => tracing
                .AddSource(HubMetrics.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(HubMetrics.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .UseOtlpExporter();
        return services;
    }
}
