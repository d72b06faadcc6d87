using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TargetLatestMeasurement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "LatestMeasuredOn",
                table: "RestorationTargets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LatestMeasurementId",
                table: "RestorationTargets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "LatestValue",
                table: "RestorationTargets",
                type: "TEXT",
                precision: 18,
                scale: 4,
                nullable: true);

            // Backfill: each target's latest measurement (the latest day, then the highest id, as the commands keep it).
            migrationBuilder.Sql("""
                UPDATE "RestorationTargets" SET
                    "LatestMeasuredOn" = (SELECT m."MeasuredOn" FROM "Measurements" AS m WHERE m."TargetId" = "RestorationTargets"."Id" ORDER BY m."MeasuredOn" DESC, m."Id" DESC LIMIT 1),
                    "LatestMeasurementId" = (SELECT m."Id" FROM "Measurements" AS m WHERE m."TargetId" = "RestorationTargets"."Id" ORDER BY m."MeasuredOn" DESC, m."Id" DESC LIMIT 1),
                    "LatestValue" = (SELECT m."Value" FROM "Measurements" AS m WHERE m."TargetId" = "RestorationTargets"."Id" ORDER BY m."MeasuredOn" DESC, m."Id" DESC LIMIT 1);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LatestMeasuredOn",
                table: "RestorationTargets");

            migrationBuilder.DropColumn(
                name: "LatestMeasurementId",
                table: "RestorationTargets");

            migrationBuilder.DropColumn(
                name: "LatestValue",
                table: "RestorationTargets");
        }
    }
}
