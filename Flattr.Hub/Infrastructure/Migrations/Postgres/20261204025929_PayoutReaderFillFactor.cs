using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flattr.Hub.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PayoutReaderFillFactor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "PayoutRunReaders")
                .Annotation("Npgsql:StorageParameter:fillfactor", 50);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "PayoutRunReaders")
                .OldAnnotation("Npgsql:StorageParameter:fillfactor", 50);
        }
    }
}
