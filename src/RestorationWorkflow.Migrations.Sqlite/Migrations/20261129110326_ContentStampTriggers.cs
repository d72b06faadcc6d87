using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.Sqlite.Migrations
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "ContentStamp",
                table: "ApprovalRequests",
                type: "INTEGER",
                nullable: true);

            // SQLite drops a table's triggers with the table: a later migration that rebuilds one of these tables must
            // create its trigger again (ContentStampTests checks that every one is there after all migrations).
            foreach (var table in Covered)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "TR_{table}_ContentStamp_Insert" AFTER INSERT ON "{table}"
                    BEGIN UPDATE "Projects" SET "ContentStamp" = "ContentStamp" + 1 WHERE "Id" = NEW."ProjectId"; END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "TR_{table}_ContentStamp_Update" AFTER UPDATE ON "{table}"
                    BEGIN UPDATE "Projects" SET "ContentStamp" = "ContentStamp" + 1 WHERE "Id" IN (OLD."ProjectId", NEW."ProjectId"); END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "TR_{table}_ContentStamp_Delete" AFTER DELETE ON "{table}"
                    BEGIN UPDATE "Projects" SET "ContentStamp" = "ContentStamp" + 1 WHERE "Id" = OLD."ProjectId"; END;
                    """);
            }
            migrationBuilder.Sql($"""
                CREATE TRIGGER "TR_Projects_ContentStamp" AFTER UPDATE OF {string.Join(", ", Registry.Select(c => $"\"{c}\""))} ON "Projects"
                BEGIN UPDATE "Projects" SET "ContentStamp" = "ContentStamp" + 1 WHERE "Id" = NEW."Id"; END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Projects_ContentStamp";""");
            foreach (var table in Covered)
            {
                foreach (var operation in new[] { "Insert", "Update", "Delete" })
                    migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "TR_{table}_ContentStamp_{operation}";""");
            }

            migrationBuilder.DropColumn(
                name: "ContentStamp",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "ContentStamp",
                table: "ApprovalRequests");
        }
    }
}
