using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.SqlServer.Migrations
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
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "AuditSequence",
                table: "Projects",
                type: "int",
                nullable: false,
                defaultValue: 0);

            // Existing projects: the head is their newest audit event.
            migrationBuilder.Sql("""
                UPDATE p SET p.[AuditSequence] = x.[Sequence], p.[AuditHead] = x.[Hash]
                FROM [Projects] p
                CROSS APPLY (SELECT TOP (1) e.[Sequence], e.[Hash] FROM [AuditEvents] e WHERE e.[ProjectId] = p.[Id] ORDER BY e.[Sequence] DESC) x;
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
