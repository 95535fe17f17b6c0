using System.Text.Json.Serialization;

namespace Flattr.Hub.Infrastructure;

/// <summary>Source-generated JSON for the Hub's own shapes.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class HubJson : JsonSerializerContext;
