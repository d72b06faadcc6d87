using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TeamAndTargetCoveringIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RestorationTargets_ProjectId",
                table: "RestorationTargets");

            migrationBuilder.DropIndex(
                name: "IX_Projects_State_WorkflowId_WorkflowVersion",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_ProjectMembers_UserId",
                table: "ProjectMembers");

            migrationBuilder.CreateIndex(
                name: "IX_RestorationTargets_ProjectId_ProgressRule_Progress",
                table: "RestorationTargets",
                columns: new[] { "ProjectId", "ProgressRule", "Progress" });

            migrationBuilder.CreateIndex(
                name: "IX_Projects_State_WorkflowId_WorkflowVersion_SiteAreas",
                table: "Projects",
                columns: new[] { "State", "WorkflowId", "WorkflowVersion", "SiteHectares_forest", "SiteCount_forest", "SiteHectares_grassland", "SiteCount_grassland", "SiteHectares_cropland", "SiteCount_cropland", "SiteHectares_wetland", "SiteCount_wetland", "SiteHectares_savanna", "SiteCount_savanna", "SiteHectares_otherTerrestrial", "SiteCount_otherTerrestrial", "SiteHectares_inlandWater", "SiteCount_inlandWater", "SiteHectares_marineCoastal", "SiteCount_marineCoastal", "SiteHectares_reefs", "SiteCount_reefs", "SiteHectares_urban", "SiteCount_urban" });

            migrationBuilder.CreateIndex(
                name: "IX_ProjectMembers_UserId_ProjectId",
                table: "ProjectMembers",
                columns: new[] { "UserId", "ProjectId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RestorationTargets_ProjectId_ProgressRule_Progress",
                table: "RestorationTargets");

            migrationBuilder.DropIndex(
                name: "IX_Projects_State_WorkflowId_WorkflowVersion_SiteAreas",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_ProjectMembers_UserId_ProjectId",
                table: "ProjectMembers");

            migrationBuilder.CreateIndex(
                name: "IX_RestorationTargets_ProjectId",
                table: "RestorationTargets",
                column: "ProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_State_WorkflowId_WorkflowVersion",
                table: "Projects",
                columns: new[] { "State", "WorkflowId", "WorkflowVersion" });

            migrationBuilder.CreateIndex(
                name: "IX_ProjectMembers_UserId",
                table: "ProjectMembers",
                column: "UserId");
        }
    }
}
