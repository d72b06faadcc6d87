using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.SqlServer.Migrations
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
                type: "nvarchar(450)",
                maxLength: 450,
                nullable: false,
                defaultValue: "");

            // Who moved each existing project into its current state: the actor of its last transition (or its creation).
            migrationBuilder.Sql(@"UPDATE p SET [StateEnteredById] = COALESCE((SELECT TOP 1 e.[ActorId] FROM [AuditEvents] e WHERE e.[ProjectId] = p.[Id] AND e.[Action] IN ('workflow.transition', 'project.created') ORDER BY e.[Sequence] DESC), '') FROM [Projects] p;");

            migrationBuilder.CreateTable(
                name: "AuditVerifications",
                columns: table => new
                {
                    ProjectId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    VerifiedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    VerifiedById = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Valid = table.Column<bool>(type: "bit", nullable: false),
                    EventCount = table.Column<int>(type: "int", nullable: false),
                    HeadSequence = table.Column<int>(type: "int", nullable: false),
                    HeadHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    BrokenSequence = table.Column<int>(type: "int", nullable: true),
                    BrokenEventId = table.Column<long>(type: "bigint", nullable: true),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
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
