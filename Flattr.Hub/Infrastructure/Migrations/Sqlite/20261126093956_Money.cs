using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flattr.Hub.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Money : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LedgerTransactions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerTransactions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PayoutAccounts",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    StripeAccountId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    PayoutsEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    DetailsSubmitted = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayoutAccounts", x => x.AccountId);
                    table.ForeignKey(
                        name: "FK_PayoutAccounts_AspNetUsers_AccountId",
                        column: x => x.AccountId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PayoutRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Period = table.Column<int>(type: "INTEGER", nullable: false),
                    Cutoff = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    FeeBasisPoints = table.Column<int>(type: "INTEGER", nullable: false),
                    MinimumBudget = table.Column<long>(type: "INTEGER", nullable: false),
                    MinimumPayout = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalBudget = table.Column<long>(type: "INTEGER", nullable: false),
                    Fee = table.Column<long>(type: "INTEGER", nullable: false),
                    CarriedOver = table.Column<long>(type: "INTEGER", nullable: false),
                    Distributed = table.Column<long>(type: "INTEGER", nullable: false),
                    CountedClicks = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ComputedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ApprovedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ApprovedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayoutRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LedgerEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TransactionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Account = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerEntries_LedgerTransactions_TransactionId",
                        column: x => x.TransactionId,
                        principalTable: "LedgerTransactions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PayoutAllocations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatorId = table.Column<long>(type: "INTEGER", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayoutAllocations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PayoutAllocations_Creators_CreatorId",
                        column: x => x.CreatorId,
                        principalTable: "Creators",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PayoutAllocations_PayoutRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "PayoutRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PayoutLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PayeeId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Destination = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    StripeTransferId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayoutLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PayoutLines_PayoutRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "PayoutRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PayoutRunReaders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReaderId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    MonthlyBudget = table.Column<long>(type: "INTEGER", nullable: false),
                    FundsAtCutoff = table.Column<long>(type: "INTEGER", nullable: false),
                    Budget = table.Column<long>(type: "INTEGER", nullable: false),
                    Fee = table.Column<long>(type: "INTEGER", nullable: false),
                    Distributed = table.Column<long>(type: "INTEGER", nullable: false),
                    CarriedOver = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayoutRunReaders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PayoutRunReaders_PayoutRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "PayoutRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PayoutLineEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LineId = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayoutLineEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PayoutLineEvents_PayoutLines_LineId",
                        column: x => x.LineId,
                        principalTable: "PayoutLines",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PayoutLineParts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LineId = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatorId = table.Column<long>(type: "INTEGER", nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayoutLineParts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PayoutLineParts_PayoutLines_LineId",
                        column: x => x.LineId,
                        principalTable: "PayoutLines",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_Account",
                table: "LedgerEntries",
                column: "Account");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_TransactionId",
                table: "LedgerEntries",
                column: "TransactionId");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerTransactions_Reference",
                table: "LedgerTransactions",
                column: "Reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PayoutAccounts_StripeAccountId",
                table: "PayoutAccounts",
                column: "StripeAccountId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PayoutAllocations_CreatorId",
                table: "PayoutAllocations",
                column: "CreatorId");

            migrationBuilder.CreateIndex(
                name: "IX_PayoutAllocations_RunId_CreatorId",
                table: "PayoutAllocations",
                columns: new[] { "RunId", "CreatorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PayoutLineEvents_LineId",
                table: "PayoutLineEvents",
                column: "LineId");

            migrationBuilder.CreateIndex(
                name: "IX_PayoutLineParts_LineId",
                table: "PayoutLineParts",
                column: "LineId");

            migrationBuilder.CreateIndex(
                name: "IX_PayoutLines_IdempotencyKey",
                table: "PayoutLines",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PayoutLines_RunId_PayeeId",
                table: "PayoutLines",
                columns: new[] { "RunId", "PayeeId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PayoutLines_StripeTransferId",
                table: "PayoutLines",
                column: "StripeTransferId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PayoutRunReaders_ReaderId",
                table: "PayoutRunReaders",
                column: "ReaderId");

            migrationBuilder.CreateIndex(
                name: "IX_PayoutRunReaders_RunId_ReaderId",
                table: "PayoutRunReaders",
                columns: new[] { "RunId", "ReaderId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PayoutRuns_Period",
                table: "PayoutRuns",
                column: "Period",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LedgerEntries");

            migrationBuilder.DropTable(
                name: "PayoutAccounts");

            migrationBuilder.DropTable(
                name: "PayoutAllocations");

            migrationBuilder.DropTable(
                name: "PayoutLineEvents");

            migrationBuilder.DropTable(
                name: "PayoutLineParts");

            migrationBuilder.DropTable(
                name: "PayoutRunReaders");

            migrationBuilder.DropTable(
                name: "LedgerTransactions");

            migrationBuilder.DropTable(
                name: "PayoutLines");

            migrationBuilder.DropTable(
                name: "PayoutRuns");
        }
    }
}
