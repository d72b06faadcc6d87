using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.PostgreSql.Migrations
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
                CREATE TRIGGER "TR_SafeguardAcknowledgements_ContentStamp" AFTER INSERT OR UPDATE OR DELETE ON "SafeguardAcknowledgements"
                FOR EACH ROW EXECUTE FUNCTION "ContentStamp_OfRow"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_SafeguardAcknowledgements_ContentStamp" ON "SafeguardAcknowledgements";""");
        }
    }
}
