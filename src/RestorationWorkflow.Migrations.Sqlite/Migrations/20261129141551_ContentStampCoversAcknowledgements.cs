using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ContentStampCoversAcknowledgements : Migration
    {
        // The safeguardsCleared guard reads the acknowledgements, and its data is reused while the stamp stays (decision
        // 0069): their writes move the stamp too, like those of the tables ContentStampTriggers covers.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_SafeguardAcknowledgements_ContentStamp_Insert" AFTER INSERT ON "SafeguardAcknowledgements"
                BEGIN UPDATE "Projects" SET "ContentStamp" = "ContentStamp" + 1 WHERE "Id" = NEW."ProjectId"; END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_SafeguardAcknowledgements_ContentStamp_Update" AFTER UPDATE ON "SafeguardAcknowledgements"
                BEGIN UPDATE "Projects" SET "ContentStamp" = "ContentStamp" + 1 WHERE "Id" IN (OLD."ProjectId", NEW."ProjectId"); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_SafeguardAcknowledgements_ContentStamp_Delete" AFTER DELETE ON "SafeguardAcknowledgements"
                BEGIN UPDATE "Projects" SET "ContentStamp" = "ContentStamp" + 1 WHERE "Id" = OLD."ProjectId"; END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var operation in new[] { "Insert", "Update", "Delete" })
                migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "TR_SafeguardAcknowledgements_ContentStamp_{operation}";""");
        }
    }
}
