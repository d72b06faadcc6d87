using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PortfolioIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sites_ProjectId",
                table: "Sites");

            migrationBuilder.DropIndex(
                name: "IX_Measurements_TargetId_MeasuredOn",
                table: "Measurements");

            migrationBuilder.CreateIndex(
                name: "IX_Sites_ProjectId_EcosystemType_ComputedHectares",
                table: "Sites",
                columns: new[] { "ProjectId", "EcosystemType", "ComputedHectares" });

            migrationBuilder.CreateIndex(
                name: "IX_Measurements_TargetId_MeasuredOn_Id_Value",
                table: "Measurements",
                columns: new[] { "TargetId", "MeasuredOn", "Id", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Action_At",
                table: "AuditEvents",
                columns: new[] { "Action", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sites_ProjectId_EcosystemType_ComputedHectares",
                table: "Sites");

            migrationBuilder.DropIndex(
                name: "IX_Measurements_TargetId_MeasuredOn_Id_Value",
                table: "Measurements");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_Action_At",
                table: "AuditEvents");

            migrationBuilder.CreateIndex(
                name: "IX_Sites_ProjectId",
                table: "Sites",
                column: "ProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_Measurements_TargetId_MeasuredOn",
                table: "Measurements",
                columns: new[] { "TargetId", "MeasuredOn" });
        }
    }
}
