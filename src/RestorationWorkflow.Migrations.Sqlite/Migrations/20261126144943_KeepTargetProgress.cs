using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class KeepTargetProgress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Projects_State",
                table: "Projects");

            migrationBuilder.AddColumn<int>(
                name: "Progress",
                table: "RestorationTargets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProgressRule",
                table: "RestorationTargets",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_RestorationTargets_ProgressRule_Progress_ProjectId",
                table: "RestorationTargets",
                columns: new[] { "ProgressRule", "Progress", "ProjectId" });

            migrationBuilder.CreateIndex(
                name: "IX_Projects_State_WorkflowId_WorkflowVersion",
                table: "Projects",
                columns: new[] { "State", "WorkflowId", "WorkflowVersion" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RestorationTargets_ProgressRule_Progress_ProjectId",
                table: "RestorationTargets");

            migrationBuilder.DropIndex(
                name: "IX_Projects_State_WorkflowId_WorkflowVersion",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "Progress",
                table: "RestorationTargets");

            migrationBuilder.DropColumn(
                name: "ProgressRule",
                table: "RestorationTargets");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_State",
                table: "Projects",
                column: "State");
        }
    }
}
