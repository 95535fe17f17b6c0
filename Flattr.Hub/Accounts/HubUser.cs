using Microsoft.AspNetCore.Identity;

namespace Flattr.Hub.Accounts;

/// <summary>A person with a Hub account: a reader, a creator, an admin, or several of these.</summary>
public sealed class HubUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>The monthly budget in minor units of the Hub's currency; 0 means none set.</summary>
    public long MonthlyBudget { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A personal API token. Only its SHA-256 hash is stored; the prefix identifies it in lists.</summary>
public sealed class ApiToken
{
    public long Id { get; set; }

    public required string AccountId { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>The Hub's roles.</summary>
public static class HubRoles
{
    public const string Reader = "reader";
    public const string Creator = "creator";
    public const string Admin = "admin";

    public static readonly string[] All = [Reader, Creator, Admin];
}
