using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RestorationWorkflow.Migrations.Sqlite.Migrations
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Cycle = table.Column<int>(type: "INTEGER", nullable: false),
                    Effectiveness = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Impact = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    CostRealised = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    BenefitsJson = table.Column<string>(type: "TEXT", nullable: false),
                    SocioEconomicOutcomes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    ParticipationEventId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UnintendedConsequences = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    RecordedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    WhatWorked = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    WhatDidNot = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Recommendation = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    RecordedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Cycle = table.Column<int>(type: "INTEGER", nullable: false),
                    EvaluationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Rationale = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    FromState = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ResultingState = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DecidedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
