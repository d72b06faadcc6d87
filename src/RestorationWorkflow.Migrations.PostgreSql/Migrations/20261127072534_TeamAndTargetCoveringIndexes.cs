using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.PostgreSql.Migrations
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
                name: "IX_ProjectMembers_UserId",
                table: "ProjectMembers");

            migrationBuilder.CreateIndex(
                name: "IX_RestorationTargets_ProjectId_ProgressRule_Progress",
                table: "RestorationTargets",
                columns: new[] { "ProjectId", "ProgressRule", "Progress" });

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
                name: "IX_ProjectMembers_UserId_ProjectId",
                table: "ProjectMembers");

            migrationBuilder.CreateIndex(
                name: "IX_RestorationTargets_ProjectId",
                table: "RestorationTargets",
                column: "ProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_ProjectMembers_UserId",
                table: "ProjectMembers",
                column: "UserId");
        }
    }
}
