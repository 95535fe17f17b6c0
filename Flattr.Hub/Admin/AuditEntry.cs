namespace Flattr.Hub.Admin;

/// <summary>An append-only record of an administrative action: who did what to which subject, and when.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>The admin's account id, or <c>cli</c> for the command line.</summary>
    public required string Actor { get; set; }

    public required string Action { get; set; }

    public required string Subject { get; set; }

    public string? Details { get; set; }

    public DateTimeOffset At { get; set; }
}
