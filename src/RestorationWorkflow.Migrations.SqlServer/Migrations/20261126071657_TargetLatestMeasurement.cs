using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.SqlServer.Migrations
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
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LatestMeasurementId",
                table: "RestorationTargets",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "LatestValue",
                table: "RestorationTargets",
                type: "decimal(18,4)",
                precision: 18,
                scale: 4,
                nullable: true);

            // Backfill: each target's latest measurement (the latest day, then the highest id, as the commands keep it).
            migrationBuilder.Sql("""
                UPDATE t SET
                    t.[LatestMeasuredOn] = l.[MeasuredOn], t.[LatestMeasurementId] = l.[Id], t.[LatestValue] = l.[Value]
                FROM [RestorationTargets] AS t
                CROSS APPLY (SELECT TOP (1) m.[MeasuredOn], m.[Id], m.[Value] FROM [Measurements] AS m
                             WHERE m.[TargetId] = t.[Id] ORDER BY m.[MeasuredOn] DESC, m.[Id] DESC) AS l;
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
