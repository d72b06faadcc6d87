using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.SqlServer.Migrations
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

            // CREATE TRIGGER must open its batch: EXEC gives it one, also inside the idempotent script's IF blocks.
            foreach (var table in Covered)
            {
                migrationBuilder.Sql($"""
                    EXEC(N'CREATE TRIGGER [TR_{table}_ContentStamp] ON [{table}] AFTER INSERT, UPDATE, DELETE AS
                    BEGIN
                        SET NOCOUNT ON;
                        UPDATE [Projects] SET [ContentStamp] = [ContentStamp] + 1
                        WHERE [Id] IN (SELECT [ProjectId] FROM inserted UNION SELECT [ProjectId] FROM deleted);
                    END');
                    """);
            }
            // Fires when a registry column is set; it sets only [ContentStamp], and RECURSIVE_TRIGGERS is off by default.
            migrationBuilder.Sql($"""
                EXEC(N'CREATE TRIGGER [TR_Projects_ContentStamp] ON [Projects] AFTER UPDATE AS
                BEGIN
                    SET NOCOUNT ON;
                    IF {string.Join(" OR ", Registry.Select(c => $"UPDATE([{c}])"))}
                        UPDATE p SET [ContentStamp] = p.[ContentStamp] + 1 FROM [Projects] AS p INNER JOIN inserted AS i ON p.[Id] = i.[Id];
                END');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS [TR_Projects_ContentStamp];");
            foreach (var table in Covered)
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS [TR_{table}_ContentStamp];");

            migrationBuilder.DropColumn(
                name: "ContentStamp",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "ContentStamp",
                table: "ApprovalRequests");
        }
    }
}
