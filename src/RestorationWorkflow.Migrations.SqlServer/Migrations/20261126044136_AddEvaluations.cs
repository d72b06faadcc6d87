using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AddEvaluations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Evaluations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProjectId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Cycle = table.Column<int>(type: "int", nullable: false),
                    Effectiveness = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    Impact = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    CostRealised = table.Column<decimal>(type: "decimal(18,2)", precision: 18, scale: 2, nullable: true),
                    Currency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: true),
                    BenefitsJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    SocioEconomicOutcomes = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    ParticipationEventId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UnintendedConsequences = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    RecordedById = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Evaluations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Evaluations_ParticipationEvents_ParticipationEventId",
                        column: x => x.ParticipationEventId,
                        principalTable: "ParticipationEvents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Evaluations_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Lessons",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProjectId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Topic = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    WhatWorked = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    WhatDidNot = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    Recommendation = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    RecordedById = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Lessons", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Lessons_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AdaptiveDecisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProjectId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Cycle = table.Column<int>(type: "int", nullable: false),
                    EvaluationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Rationale = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    Trigger = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    FromState = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ResultingState = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    DecidedById = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdaptiveDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AdaptiveDecisions_Evaluations_EvaluationId",
                        column: x => x.EvaluationId,
                        principalTable: "Evaluations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AdaptiveDecisions_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AdaptiveDecisions_DecidedAt",
                table: "AdaptiveDecisions",
                column: "DecidedAt");

            migrationBuilder.CreateIndex(
                name: "IX_AdaptiveDecisions_EvaluationId",
                table: "AdaptiveDecisions",
                column: "EvaluationId");

            migrationBuilder.CreateIndex(
                name: "IX_AdaptiveDecisions_ProjectId_Cycle",
                table: "AdaptiveDecisions",
                columns: new[] { "ProjectId", "Cycle" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Evaluations_ParticipationEventId",
                table: "Evaluations",
                column: "ParticipationEventId");

            migrationBuilder.CreateIndex(
                name: "IX_Evaluations_ProjectId_Cycle",
                table: "Evaluations",
                columns: new[] { "ProjectId", "Cycle" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Lessons_ProjectId_RecordedAt",
                table: "Lessons",
                columns: new[] { "ProjectId", "RecordedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Lessons_Topic_RecordedAt",
                table: "Lessons",
                columns: new[] { "Topic", "RecordedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AdaptiveDecisions");

            migrationBuilder.DropTable(
                name: "Lessons");

            migrationBuilder.DropTable(
                name: "Evaluations");
        }
    }
}
