namespace Flattr.Hub.IntegrationTests.Admin;

/// <summary>Who did what, as the audit tests compare entries.</summary>
public sealed record AuditEntryView(string Actor, string Action);
