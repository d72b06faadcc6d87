using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UserAuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "UserAuditEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "UserAuditEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Sequence",
                table: "UserAuditEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Existing events get distinct sequences (their ids); they are chained at start-up with Audit:SealExistingHeads=true.
            migrationBuilder.Sql(@"UPDATE ""UserAuditEvents"" SET ""Sequence"" = ""Id"";");

            migrationBuilder.CreateIndex(
                name: "IX_UserAuditEvents_Sequence",
                table: "UserAuditEvents",
                column: "Sequence",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UserAuditEvents_Sequence",
                table: "UserAuditEvents");

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "UserAuditEvents");

            migrationBuilder.DropColumn(
                name: "PreviousHash",
                table: "UserAuditEvents");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "UserAuditEvents");
        }
    }
}
