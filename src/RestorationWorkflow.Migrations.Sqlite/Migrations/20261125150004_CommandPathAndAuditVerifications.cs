using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CommandPathAndAuditVerifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "StateEnteredById",
                table: "Projects",
                type: "TEXT",
                maxLength: 450,
                nullable: false,
                defaultValue: "");

            // Who moved each existing project into its current state: the actor of its last transition (or its creation).
            migrationBuilder.Sql(@"UPDATE ""Projects"" SET ""StateEnteredById"" = COALESCE((SELECT e.""ActorId"" FROM ""AuditEvents"" e WHERE e.""ProjectId"" = ""Projects"".""Id"" AND e.""Action"" IN ('workflow.transition', 'project.created') ORDER BY e.""Sequence"" DESC LIMIT 1), '');");

            migrationBuilder.CreateTable(
                name: "AuditVerifications",
                columns: table => new
                {
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VerifiedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    VerifiedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Valid = table.Column<bool>(type: "INTEGER", nullable: false),
                    EventCount = table.Column<int>(type: "INTEGER", nullable: false),
                    HeadSequence = table.Column<int>(type: "INTEGER", nullable: false),
                    HeadHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BrokenSequence = table.Column<int>(type: "INTEGER", nullable: true),
                    BrokenEventId = table.Column<long>(type: "INTEGER", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditVerifications", x => x.ProjectId);
                    table.ForeignKey(
                        name: "FK_AuditVerifications_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditVerifications");

            migrationBuilder.DropColumn(
                name: "StateEnteredById",
                table: "Projects");
        }
    }
}
