namespace Flattr.Hub.Installations;

/// <summary>A CMS site (Umbraco or Orchard Core) registered with the Hub; it signs its requests with its secret.</summary>
public sealed class Installation
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public required string BaseUrl { get; set; }

    /// <summary>The secret, encrypted with the Hub's Data Protection key ring; never stored or logged in plain text.</summary>
    public required string ProtectedSecret { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset SecretRotatedAt { get; set; }

    /// <summary>When set, the installation's requests are refused and its buttons stop registering things.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}
