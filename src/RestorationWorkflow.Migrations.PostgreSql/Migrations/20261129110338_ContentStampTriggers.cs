using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class ContentStampTriggers : Migration
    {
        // Frozen here, as this migration created them: the tables an approval snapshot reads, and the project's registry
        // columns (decision 0068). A later migration that covers another table adds its own trigger.
        private static readonly string[] Covered = ["ProjectMembers", "ChecklistItems", "StepForms", "Sites", "Stakeholders", "ParticipationEvents", "ConsentRecords", "RestorationTargets", "SafeguardReviews", "SafeguardAnswers", "PlannedSpecies", "EvidenceFiles"];

        private static readonly string[] Registry = ["Name", "Code", "Description", "Country", "Region", "Scale", "EcosystemTypes", "NaturallyLowTreeCover", "Situation", "StartDate", "LifespanYears", "Budget", "Currency", "LeadOrganisation", "AreaHectares"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ContentStamp",
                table: "Projects",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "ContentStamp",
                table: "ApprovalRequests",
                type: "bigint",
                nullable: true);

            migrationBuilder.Sql("""
                CREATE FUNCTION "ContentStamp_OfRow"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'INSERT' THEN
                        UPDATE "Projects" SET "ContentStamp" = "ContentStamp" + 1 WHERE "Id" = OLD."ProjectId";
                    END IF;
                    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."ProjectId" IS DISTINCT FROM OLD."ProjectId") THEN
                        UPDATE "Projects" SET "ContentStamp" = "ContentStamp" + 1 WHERE "Id" = NEW."ProjectId";
                    END IF;
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "ContentStamp_OfProject"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE "Projects" SET "ContentStamp" = "ContentStamp" + 1 WHERE "Id" = NEW."Id";
                    RETURN NULL;
                END $$;
                """);
            foreach (var table in Covered)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "TR_{table}_ContentStamp" AFTER INSERT OR UPDATE OR DELETE ON "{table}"
                    FOR EACH ROW EXECUTE FUNCTION "ContentStamp_OfRow"();
                    """);
            }
            // Fires when a registry column is set; the function sets only "ContentStamp", so it does not fire itself.
            migrationBuilder.Sql($"""
                CREATE TRIGGER "TR_Projects_ContentStamp" AFTER UPDATE OF {string.Join(", ", Registry.Select(c => $"\"{c}\""))} ON "Projects"
                FOR EACH ROW EXECUTE FUNCTION "ContentStamp_OfProject"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Projects_ContentStamp" ON "Projects";""");
            foreach (var table in Covered)
                migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "TR_{table}_ContentStamp" ON "{table}";""");
            migrationBuilder.Sql("""DROP FUNCTION IF EXISTS "ContentStamp_OfProject"();""");
            migrationBuilder.Sql("""DROP FUNCTION IF EXISTS "ContentStamp_OfRow"();""");

            migrationBuilder.DropColumn(
                name: "ContentStamp",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "ContentStamp",
                table: "ApprovalRequests");
        }
    }
}
