using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Flattr.Benchmarks.Load;

/// <summary>
/// Writes rows into one table by the fastest path each provider has: PostgreSQL's binary COPY, or SQLite's prepared
/// multi-row INSERTs inside the caller's transaction. A row is <see cref="Begin"/>, one typed call per column in the
/// order the table was opened with, and <see cref="End"/>.
/// </summary>
internal abstract class BulkTable : IAsyncDisposable
{
    public long Rows { get; private set; }

    public static BulkTable Open(DbConnection connection, DbTransaction? transaction, string table, params string[] columns) => connection switch
    {
        NpgsqlConnection npgsql => new PostgresCopy(npgsql, table, columns),
        SqliteConnection sqlite => new SqliteInserts(sqlite, (SqliteTransaction)transaction!, table, columns),
        _ => throw new NotSupportedException(connection.GetType().Name),
    };

    public abstract void Begin();

    public abstract void Text(string? value);

    public abstract void Long(long value);

    public abstract void Int(int value);

    public abstract void Bool(bool value);

    public abstract void Time(DateTimeOffset? value);

    public void End()
    {
        Rows++;
        EndRow();
    }

    /// <summary>Writes what is buffered; the table is then complete (PostgreSQL commits the COPY).</summary>
    public abstract ValueTask CompleteAsync();

    public abstract ValueTask DisposeAsync();

    protected abstract void EndRow();

    private static string Quote(string name) => "\"" + name + "\"";

    private sealed class PostgresCopy : BulkTable
    {
        private readonly NpgsqlBinaryImporter _importer;

        public PostgresCopy(NpgsqlConnection connection, string table, string[] columns)
        {
            _importer = connection.BeginBinaryImport(
                $"COPY {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) FROM STDIN (FORMAT BINARY)");
            // No time limit: completing the copy of a month's ten million clicks checks every index and foreign key,
            // which takes minutes, far beyond the connection's 30-second command timeout.
            _importer.Timeout = TimeSpan.Zero;
        }

        public override void Begin() => _importer.StartRow();

        public override void Text(string? value)
        {
            if (value is null)
            {
                _importer.WriteNull();
            }
            else
            {
                _importer.Write(value, NpgsqlDbType.Text);
            }
        }

        public override void Long(long value) => _importer.Write(value, NpgsqlDbType.Bigint);

        public override void Int(int value) => _importer.Write(value, NpgsqlDbType.Integer);

        public override void Bool(bool value) => _importer.Write(value, NpgsqlDbType.Boolean);

        public override void Time(DateTimeOffset? value)
        {
            if (value is { } v)
            {
                _importer.Write(v.UtcDateTime, NpgsqlDbType.TimestampTz);
            }
            else
            {
                _importer.WriteNull();
            }
        }

        public override async ValueTask CompleteAsync() => await _importer.CompleteAsync();

        public override ValueTask DisposeAsync() => _importer.DisposeAsync();

        protected override void EndRow()
        {
        }
    }

    /// <summary>SQLite: one prepared statement inserting <see cref="BatchRows"/> rows at a time, plus a one-row statement for the rest.</summary>
    private sealed class SqliteInserts : BulkTable
    {
        private const int BatchRows = 64;

        private readonly SqliteCommand _batch;
        private readonly SqliteCommand _single;
        private readonly object?[] _values;
        private readonly int _columns;
        private int _row;
        private int _column;

        public SqliteInserts(SqliteConnection connection, SqliteTransaction transaction, string table, string[] columns)
        {
            _columns = columns.Length;
            _values = new object?[BatchRows * _columns];
            _batch = Command(connection, transaction, table, columns, BatchRows);
            _single = Command(connection, transaction, table, columns, 1);
        }

        public override void Begin() => _column = 0;

        public override void Text(string? value) => Set(value);

        public override void Long(long value) => Set(value);

        public override void Int(int value) => Set(value);

        public override void Bool(bool value) => Set(value ? 1L : 0L);

        // The Hub's SQLite model stores every instant as its UTC ticks (UtcTicksConverter).
        public override void Time(DateTimeOffset? value) => Set(value?.UtcTicks);

        public override ValueTask CompleteAsync()
        {
            for (var row = 0; row < _row; row++)
            {
                for (var column = 0; column < _columns; column++)
                {
                    _single.Parameters[column].Value = _values[(row * _columns) + column] ?? DBNull.Value;
                }

                _single.ExecuteNonQuery();
            }

            _row = 0;
            return ValueTask.CompletedTask;
        }

        public override ValueTask DisposeAsync()
        {
            _batch.Dispose();
            _single.Dispose();
            return ValueTask.CompletedTask;
        }

        protected override void EndRow()
        {
            if (++_row < BatchRows)
            {
                return;
            }

            for (var i = 0; i < _values.Length; i++)
            {
                _batch.Parameters[i].Value = _values[i] ?? DBNull.Value;
            }

            _batch.ExecuteNonQuery();
            _row = 0;
        }

        private void Set(object? value) => _values[(_row * _columns) + _column++] = value;

        private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string table, string[] columns, int rows)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            var values = new List<string>(rows);
            for (var row = 0; row < rows; row++)
            {
                var names = new string[columns.Length];
                for (var column = 0; column < columns.Length; column++)
                {
                    names[column] = $"$p{(row * columns.Length) + column}";
                    command.Parameters.Add(new SqliteParameter(names[column], null));
                }

                values.Add("(" + string.Join(", ", names) + ")");
            }

#pragma warning disable CA2100 // table and column names are the loader's own constants, never input
            command.CommandText = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) VALUES {string.Join(", ", values)}";
#pragma warning restore CA2100
            command.Prepare();
            return command;
        }
    }
}
