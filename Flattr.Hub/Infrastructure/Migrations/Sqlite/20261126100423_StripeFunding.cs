using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flattr.Hub.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StripeFunding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "StripeCheckouts",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ReaderId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PaymentIntentId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    AmountCredited = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreditedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StripeCheckouts", x => x.SessionId);
                    table.ForeignKey(
                        name: "FK_StripeCheckouts_AspNetUsers_ReaderId",
                        column: x => x.ReaderId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_StripeCheckouts_PaymentIntentId",
                table: "StripeCheckouts",
                column: "PaymentIntentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StripeCheckouts_ReaderId_CreatedAt",
                table: "StripeCheckouts",
                columns: new[] { "ReaderId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StripeCheckouts");
        }
    }
}
