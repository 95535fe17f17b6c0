using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Flattr.Hub.Infrastructure.Database;

/// <summary>
/// The database the Hub was configured with, for the few places that open their own connections instead of going
/// through <see cref="HubDbContext"/> (the click path's prepared reads). The connection string is the context's.
/// </summary>
/// <param name="IsSqlite">True for SQLite, false for PostgreSQL.</param>
/// <param name="ConnectionString">The connection string, with the Hub's defaults applied.</param>
internal sealed record HubConnection(bool IsSqlite, string ConnectionString)
{
    /// <summary>A new, closed connection to the Hub's database.</summary>
    public DbConnection Create() =>
        IsSqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);

    /// <summary>
    /// The same database under an application name of its own (PostgreSQL's <c>application_name</c>, which
    /// <c>pg_stat_activity</c> shows and which gives the connections a pool of their own); SQLite has no such name.
    /// </summary>
    public HubConnection For(string applicationName) =>
        IsSqlite ? this : this with { ConnectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = applicationName }.ToString() };

    // The record's generated ToString would print the connection string, password and all.
    public override string ToString() => IsSqlite ? "SQLite" : "PostgreSQL";
}
