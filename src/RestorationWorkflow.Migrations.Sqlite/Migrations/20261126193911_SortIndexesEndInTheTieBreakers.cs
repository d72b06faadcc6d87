using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SortIndexesEndInTheTieBreakers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Projects_Country",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_Projects_Name",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_Projects_UpdatedAt",
                table: "Projects");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_Country_Name_Id",
                table: "Projects",
                columns: new[] { "Country", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Projects_Name_Id",
                table: "Projects",
                columns: new[] { "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Projects_State_Name_Id",
                table: "Projects",
                columns: new[] { "State", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Projects_UpdatedAt_Id",
                table: "Projects",
                columns: new[] { "UpdatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Projects_Country_Name_Id",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_Projects_Name_Id",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_Projects_State_Name_Id",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_Projects_UpdatedAt_Id",
                table: "Projects");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_Country",
                table: "Projects",
                column: "Country");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_Name",
                table: "Projects",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_UpdatedAt",
                table: "Projects",
                column: "UpdatedAt");
        }
    }
}
