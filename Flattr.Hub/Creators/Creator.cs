using Flattr.Hub.Accounts;

namespace Flattr.Hub.Creators;

/// <summary>A creator as an installation names it; a Hub account claims it to be paid.</summary>
public sealed class Creator
{
    public long Id { get; set; }

    public required string InstallationId { get; set; }

    public required string ExternalId { get; set; }

    public string? Name { get; set; }

    /// <summary>The account that claimed the creator, or null while unclaimed.</summary>
    public string? AccountId { get; set; }

    public HubUser? Account { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A single-use link with which a person claims a creator. Only a hash of the token is stored.</summary>
public sealed class CreatorClaim
{
    public long Id { get; set; }

    public long CreatorId { get; set; }

    public Creator Creator { get; set; } = null!;

    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    public string? UsedByAccountId { get; set; }
}
