using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ProjectAuditHead : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AuditHead",
                table: "Projects",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "AuditSequence",
                table: "Projects",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Existing projects: the head is their newest audit event.
            migrationBuilder.Sql("""
                UPDATE "Projects"
                SET "AuditSequence" = (SELECT MAX(e."Sequence") FROM "AuditEvents" e WHERE e."ProjectId" = "Projects"."Id"),
                    "AuditHead" = (SELECT e."Hash" FROM "AuditEvents" e WHERE e."ProjectId" = "Projects"."Id" ORDER BY e."Sequence" DESC LIMIT 1)
                WHERE EXISTS (SELECT 1 FROM "AuditEvents" e WHERE e."ProjectId" = "Projects"."Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AuditHead",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "AuditSequence",
                table: "Projects");
        }
    }
}
