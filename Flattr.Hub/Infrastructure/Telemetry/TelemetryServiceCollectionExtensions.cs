using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Flattr.Hub.Infrastructure.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Traces (requests, outgoing HTTP, the Hub's own spans) and metrics (request durations, runtime, clicks recorded,
    /// signature failures, things upserted). They are exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static IServiceCollection AddHubTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<HubMetrics>();
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("Flattr.Hub"))
            .WithTracing(tracing => tracing
                .AddSource(HubMetrics.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(HubMetrics.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return services;
    }
}
