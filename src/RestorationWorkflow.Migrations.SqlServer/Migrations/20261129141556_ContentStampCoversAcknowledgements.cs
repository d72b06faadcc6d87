using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ContentStampCoversAcknowledgements : Migration
    {
        // The safeguardsCleared guard reads the acknowledgements, and its data is reused while the stamp stays (decision
        // 0069): their writes move the stamp too, like those of the tables ContentStampTriggers covers.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // CREATE TRIGGER must open its batch: EXEC gives it one, also inside the idempotent script's IF blocks.
            migrationBuilder.Sql("""
                EXEC(N'CREATE TRIGGER [TR_SafeguardAcknowledgements_ContentStamp] ON [SafeguardAcknowledgements] AFTER INSERT, UPDATE, DELETE AS
                BEGIN
                    SET NOCOUNT ON;
                    UPDATE [Projects] SET [ContentStamp] = [ContentStamp] + 1
                    WHERE [Id] IN (SELECT [ProjectId] FROM inserted UNION SELECT [ProjectId] FROM deleted);
                END');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS [TR_SafeguardAcknowledgements_ContentStamp];");
        }
    }
}
