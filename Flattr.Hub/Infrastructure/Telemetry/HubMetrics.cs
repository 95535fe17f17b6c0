using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Flattr.Hub.Infrastructure.Telemetry;

/// <summary>The Hub's own traces and metrics (request durations come from ASP.NET Core's built-in meters).</summary>
public sealed class HubMetrics : IDisposable
{
    public const string Name = "Flattr.Hub";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;

    public HubMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        ClicksRecorded = _meter.CreateCounter<long>("flattr.clicks.recorded", description: "New flattrs recorded.");
        SignatureFailures = _meter.CreateCounter<long>("flattr.signature.failures", description: "Installation requests refused for their signature.");
        ThingsUpserted = _meter.CreateCounter<long>("flattr.things.upserted", description: "Things created or updated by installations.");
    }

    public Counter<long> ClicksRecorded { get; }

    public Counter<long> SignatureFailures { get; }

    public Counter<long> ThingsUpserted { get; }

    public void Dispose() => _meter.Dispose();
}
