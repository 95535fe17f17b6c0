using System.Data.Common;

namespace Flattr.Hub.Infrastructure.Database;

/// <summary>
/// Helpers for the few statements the Hub writes in plain SQL (the click path, the payout plan): parameters, and the
/// stored form of values whose column type differs between SQLite and PostgreSQL.
/// </summary>
internal static class StoredValues
{
    /// <summary>Adds a parameter to <paramref name="command"/> and returns it, so a prepared command can reuse it.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>An instant as its column stores it: UTC ticks on SQLite (UtcTicksConverter), timestamptz on PostgreSQL.</summary>
    public static object Instant(DateTimeOffset value, bool sqlite) => sqlite ? value.UtcTicks : value.ToUniversalTime();

    /// <summary>A stored instant read back.</summary>
    public static DateTimeOffset ReadInstant(DbDataReader reader, int ordinal, bool sqlite) =>
        sqlite
            ? new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero)
            : new DateTimeOffset(reader.GetFieldValue<DateTime>(ordinal), TimeSpan.Zero);

    /// <summary>A Guid as its column stores it: upper-case text on SQLite (EF Core's mapping), uuid on PostgreSQL.</summary>
    public static object Guid(Guid value, bool sqlite) => sqlite ? value.ToString("D").ToUpperInvariant() : value;
}
