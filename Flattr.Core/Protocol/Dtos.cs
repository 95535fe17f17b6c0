namespace Flattr.Protocol;

/// <summary>The body of <c>PUT /api/v1/things/{externalId}</c>: what an installation knows about one of its things.</summary>
public record ThingUpsert
{
    /// <summary>The thing's public address (absolute http or https).</summary>
    public string? Url { get; init; }

    /// <summary>The title shown to readers.</summary>
    public string? Title { get; init; }

    /// <summary>An optional short description.</summary>
    public string? Description { get; init; }

    /// <summary>One of <c>text images video audio software people rest</c>; <c>rest</c> when absent.</summary>
    public string? Category { get; init; }

    /// <summary>An optional language tag such as <c>en-GB</c>.</summary>
    public string? Language { get; init; }

    /// <summary>Free-form tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>True to keep the thing out of public listings on the Hub.</summary>
    public bool Hidden { get; init; }

    /// <summary>Who gets the thing's share.</summary>
    public CreatorUpsert? Creator { get; init; }
}

/// <summary>A creator as an installation names it.</summary>
public sealed record CreatorUpsert
{
    /// <summary>The installation's id for the creator.</summary>
    public string? ExternalId { get; init; }

    /// <summary>The creator's display name.</summary>
    public string? Name { get; init; }
}

/// <summary>One thing in a batch upsert: the upsert plus the installation's id for it.</summary>
public sealed record ThingBatchItem : ThingUpsert
{
    /// <summary>The installation's id for the thing.</summary>
    public string? ExternalId { get; init; }
}

/// <summary>The body of <c>POST /api/v1/things:batch</c>: up to 500 upserts, applied all or nothing.</summary>
public sealed record ThingBatchRequest
{
    /// <summary>The things to create or update.</summary>
    public IReadOnlyList<ThingBatchItem>? Things { get; init; }
}

/// <summary>The answer to a batch upsert, one result per item in request order.</summary>
public sealed record ThingBatchResponse
{
    /// <summary>The results.</summary>
    public required IReadOnlyList<ThingBatchResult> Things { get; init; }
}

/// <summary>The result of one batch item.</summary>
public sealed record ThingBatchResult
{
    /// <summary>True when the thing was created, false when updated.</summary>
    public required bool Created { get; init; }

    /// <summary>The thing as the Hub now holds it.</summary>
    public required ThingView Thing { get; init; }
}

/// <summary>A thing as the Hub holds it, returned to its installation.</summary>
public sealed record ThingView
{
    /// <summary>The Hub's id for the thing.</summary>
    public required string Id { get; init; }

    /// <summary>The installation's id for the thing.</summary>
    public required string ExternalId { get; init; }

    /// <summary>The thing's public address.</summary>
    public required string Url { get; init; }

    /// <summary>The title.</summary>
    public required string Title { get; init; }

    /// <summary>The description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>The category's wire name.</summary>
    public required string Category { get; init; }

    /// <summary>The language tag, if any.</summary>
    public string? Language { get; init; }

    /// <summary>The tags.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>True when kept out of public listings.</summary>
    public required bool Hidden { get; init; }

    /// <summary>True when retired by its installation; its history stays.</summary>
    public required bool Retired { get; init; }

    /// <summary>The creator.</summary>
    public required CreatorView Creator { get; init; }

    /// <summary>The thing's public page on the Hub.</summary>
    public required string FlattrUrl { get; init; }

    /// <summary>How often the thing was flattred.</summary>
    public required ClickCounts Clicks { get; init; }

    /// <summary>When the Hub last changed the thing.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A creator as the Hub holds it.</summary>
public sealed record CreatorView
{
    /// <summary>The installation's id for the creator.</summary>
    public required string ExternalId { get; init; }

    /// <summary>The display name.</summary>
    public string? Name { get; init; }

    /// <summary>True when a Hub account has claimed the creator and can be paid.</summary>
    public required bool Claimed { get; init; }
}

/// <summary>Click counts of a thing.</summary>
public sealed record ClickCounts
{
    /// <summary>Flattrs in the current period.</summary>
    public required long ThisPeriod { get; init; }

    /// <summary>Flattrs since the thing was registered.</summary>
    public required long AllTime { get; init; }
}

/// <summary>A single-use link that lets a person claim a creator on the Hub.</summary>
public sealed record ClaimLink
{
    /// <summary>The address to give to the person.</summary>
    public required string Url { get; init; }

    /// <summary>When the link stops working.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>What the Hub knows of the calling installation; used to verify the configuration.</summary>
public sealed record InstallationView
{
    /// <summary>The installation id.</summary>
    public required string Id { get; init; }

    /// <summary>The name the hub admin gave it.</summary>
    public required string Name { get; init; }

    /// <summary>The site's base URL.</summary>
    public required string Url { get; init; }
}
