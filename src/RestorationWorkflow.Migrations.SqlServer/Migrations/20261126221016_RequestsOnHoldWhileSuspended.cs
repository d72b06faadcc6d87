using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class RequestsOnHoldWhileSuspended : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApprovalRequests_Inbox",
                table: "ApprovalRequests");

            migrationBuilder.AddColumn<bool>(
                name: "OnHold",
                table: "ApprovalRequests",
                type: "bit",
                nullable: false,
                defaultValue: false);

            // Open requests whose project is not in their review state (suspended from it) are on hold from the start.
            migrationBuilder.Sql("""
                UPDATE [ApprovalRequests] SET [OnHold] = CAST(1 AS bit) WHERE [Status] = 0 AND NOT EXISTS (SELECT 1 FROM [Projects] p WHERE p.[Id] = [ApprovalRequests].[ProjectId] AND p.[State] = [ApprovalRequests].[State]);
                """);

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_Inbox",
                table: "ApprovalRequests",
                columns: new[] { "Status", "Stale", "OnHold", "DueAt", "Gate", "ProjectId", "SubmittedById", "OpenedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApprovalRequests_Inbox",
                table: "ApprovalRequests");

            migrationBuilder.DropColumn(
                name: "OnHold",
                table: "ApprovalRequests");

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalRequests_Inbox",
                table: "ApprovalRequests",
                columns: new[] { "Status", "Stale", "DueAt", "Gate", "ProjectId", "State", "SubmittedById", "OpenedAt", "Id" });
        }
    }
}
