using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Flattr.Protocol;

/// <summary>The JSON settings of the installation protocol: web defaults (camelCase), source-generated.</summary>
public static class ProtocolJson
{
    /// <summary>Serializer options for every protocol DTO.</summary>
    public static JsonSerializerOptions Options { get; } = new(ProtocolJsonContext.Default.Options);

    /// <summary>The source-generated type information, for callers that combine resolvers.</summary>
    public static JsonSerializerContext Context => ProtocolJsonContext.Default;

    /// <summary>Type information for <see cref="Protocol.ThingUpsert"/>.</summary>
    public static JsonTypeInfo<ThingUpsert> ThingUpsert => ProtocolJsonContext.Default.ThingUpsert;

    /// <summary>Type information for <see cref="Protocol.ThingBatchRequest"/>.</summary>
    public static JsonTypeInfo<ThingBatchRequest> ThingBatchRequest => ProtocolJsonContext.Default.ThingBatchRequest;

    /// <summary>Type information for <see cref="Protocol.ThingBatchResponse"/>.</summary>
    public static JsonTypeInfo<ThingBatchResponse> ThingBatchResponse => ProtocolJsonContext.Default.ThingBatchResponse;

    /// <summary>Type information for <see cref="Protocol.ThingView"/>.</summary>
    public static JsonTypeInfo<ThingView> ThingView => ProtocolJsonContext.Default.ThingView;

    /// <summary>Type information for <see cref="Protocol.ProblemDocument"/>.</summary>
    public static JsonTypeInfo<ProblemDocument> ProblemDocument => ProtocolJsonContext.Default.ProblemDocument;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ThingUpsert))]
[JsonSerializable(typeof(ThingBatchRequest))]
[JsonSerializable(typeof(ThingBatchResponse))]
[JsonSerializable(typeof(ThingView))]
[JsonSerializable(typeof(ClaimLink))]
[JsonSerializable(typeof(InstallationView))]
[JsonSerializable(typeof(ProblemDocument))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;

/// <summary>An RFC 9457 problem details document as the Hub returns it.</summary>
public sealed record ProblemDocument
{
    /// <summary>A URI identifying the problem type.</summary>
    public string? Type { get; init; }

    /// <summary>A short summary.</summary>
    public string? Title { get; init; }

    /// <summary>The HTTP status code.</summary>
    public int? Status { get; init; }

    /// <summary>An explanation specific to this occurrence.</summary>
    public string? Detail { get; init; }

    /// <summary>Validation errors by field, when the problem is invalid input.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
