using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class InboxIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApprovalRequests_Status_DueAt",
                table: "ApprovalRequests");

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_Inbox",
                table: "ApprovalRequests",
                columns: new[] { "Status", "Stale", "DueAt", "Gate", "ProjectId", "State", "SubmittedById", "OpenedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApprovalRequests_Inbox",
                table: "ApprovalRequests");

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_Status_DueAt",
                table: "ApprovalRequests",
                columns: new[] { "Status", "DueAt" });
        }
    }
}
