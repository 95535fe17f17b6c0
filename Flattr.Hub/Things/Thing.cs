using Flattr.Hub.Creators;

namespace Flattr.Hub.Things;

/// <summary>A piece of content on an installation, as the Hub stores it.</summary>
public sealed class Thing
{
    public long Id { get; set; }

    public required string InstallationId { get; set; }

    public required string ExternalId { get; set; }

    public required string Url { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    /// <summary>The category's wire name (<c>text</c>, <c>images</c>, …).</summary>
    public required string Category { get; set; }

    public string? Language { get; set; }

    /// <summary>The tags, as a JSON array.</summary>
    public string Tags { get; set; } = "[]";

    public bool Hidden { get; set; }

    public long CreatorId { get; set; }

    public Creator Creator { get; set; } = null!;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When set, the thing can no longer be flattred; its history stays.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
