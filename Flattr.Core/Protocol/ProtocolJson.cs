using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flattr.Protocol;

/// <summary>The JSON settings of the installation protocol: web defaults (camelCase), source-generated.</summary>
public static class ProtocolJson
{
    /// <summary>Serializer options for every protocol DTO.</summary>
    public static JsonSerializerOptions Options { get; } = new(ProtocolJsonContext.Default.Options);

    /// <summary>The source-generated type information, for callers that combine resolvers.</summary>
    public static JsonSerializerContext Context => ProtocolJsonContext.Default;
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
