using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class KeepSiteAreasPerEcosystem : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "SiteCount_cropland",
                table: "Projects",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SiteCount_forest",
                table: "Projects",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SiteCount_grassland",
                table: "Projects",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SiteCount_inlandWater",
                table: "Projects",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SiteCount_marineCoastal",
                table: "Projects",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SiteCount_otherTerrestrial",
                table: "Projects",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SiteCount_reefs",
                table: "Projects",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SiteCount_savanna",
                table: "Projects",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SiteCount_urban",
                table: "Projects",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "SiteCount_wetland",
                table: "Projects",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<double>(
                name: "SiteHectares_cropland",
                table: "Projects",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "SiteHectares_forest",
                table: "Projects",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "SiteHectares_grassland",
                table: "Projects",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "SiteHectares_inlandWater",
                table: "Projects",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "SiteHectares_marineCoastal",
                table: "Projects",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "SiteHectares_otherTerrestrial",
                table: "Projects",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "SiteHectares_reefs",
                table: "Projects",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "SiteHectares_savanna",
                table: "Projects",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "SiteHectares_urban",
                table: "Projects",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "SiteHectares_wetland",
                table: "Projects",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            // Each project's hectares and sites per ecosystem type, from its sites, as the site commands keep them
            // from now on (decision 0045). The codes are those of this release (EcosystemTypes.All).
            migrationBuilder.Sql("""
                UPDATE "Projects" SET
                    "SiteHectares_forest" = COALESCE((SELECT SUM(CAST(s."ComputedHectares" AS double precision)) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'forest'), 0.0),
                    "SiteCount_forest" = (SELECT COUNT(*) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'forest'),
                    "SiteHectares_grassland" = COALESCE((SELECT SUM(CAST(s."ComputedHectares" AS double precision)) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'grassland'), 0.0),
                    "SiteCount_grassland" = (SELECT COUNT(*) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'grassland'),
                    "SiteHectares_cropland" = COALESCE((SELECT SUM(CAST(s."ComputedHectares" AS double precision)) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'cropland'), 0.0),
                    "SiteCount_cropland" = (SELECT COUNT(*) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'cropland'),
                    "SiteHectares_wetland" = COALESCE((SELECT SUM(CAST(s."ComputedHectares" AS double precision)) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'wetland'), 0.0),
                    "SiteCount_wetland" = (SELECT COUNT(*) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'wetland'),
                    "SiteHectares_savanna" = COALESCE((SELECT SUM(CAST(s."ComputedHectares" AS double precision)) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'savanna'), 0.0),
                    "SiteCount_savanna" = (SELECT COUNT(*) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'savanna'),
                    "SiteHectares_otherTerrestrial" = COALESCE((SELECT SUM(CAST(s."ComputedHectares" AS double precision)) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'otherTerrestrial'), 0.0),
                    "SiteCount_otherTerrestrial" = (SELECT COUNT(*) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'otherTerrestrial'),
                    "SiteHectares_inlandWater" = COALESCE((SELECT SUM(CAST(s."ComputedHectares" AS double precision)) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'inlandWater'), 0.0),
                    "SiteCount_inlandWater" = (SELECT COUNT(*) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'inlandWater'),
                    "SiteHectares_marineCoastal" = COALESCE((SELECT SUM(CAST(s."ComputedHectares" AS double precision)) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'marineCoastal'), 0.0),
                    "SiteCount_marineCoastal" = (SELECT COUNT(*) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'marineCoastal'),
                    "SiteHectares_reefs" = COALESCE((SELECT SUM(CAST(s."ComputedHectares" AS double precision)) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'reefs'), 0.0),
                    "SiteCount_reefs" = (SELECT COUNT(*) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'reefs'),
                    "SiteHectares_urban" = COALESCE((SELECT SUM(CAST(s."ComputedHectares" AS double precision)) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'urban'), 0.0),
                    "SiteCount_urban" = (SELECT COUNT(*) FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id" AND s."EcosystemType" = 'urban')
                WHERE EXISTS (SELECT 1 FROM "Sites" AS s WHERE s."ProjectId" = "Projects"."Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SiteCount_cropland",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteCount_forest",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteCount_grassland",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteCount_inlandWater",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteCount_marineCoastal",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteCount_otherTerrestrial",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteCount_reefs",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteCount_savanna",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteCount_urban",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteCount_wetland",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteHectares_cropland",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteHectares_forest",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteHectares_grassland",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteHectares_inlandWater",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteHectares_marineCoastal",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteHectares_otherTerrestrial",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteHectares_reefs",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteHectares_savanna",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteHectares_urban",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SiteHectares_wetland",
                table: "Projects");
        }
    }
}
