using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flattr.Hub.Infrastructure.Migrations.Postgres
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
                    SessionId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    ReaderId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    PaymentIntentId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    AmountCredited = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreditedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
