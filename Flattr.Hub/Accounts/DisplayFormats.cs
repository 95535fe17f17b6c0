using System.Globalization;

namespace Flattr.Hub.Accounts;

/// <summary>How pages show instants: UTC, to the minute, the same for every visitor.</summary>
public static class DisplayFormats
{
    public static string Instant(DateTimeOffset? instant, string none = "never") =>
        instant is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : none;
}
