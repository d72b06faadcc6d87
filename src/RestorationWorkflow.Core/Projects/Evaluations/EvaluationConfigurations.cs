using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RestorationWorkflow.Projects.Evaluations;

internal sealed class EvaluationConfiguration : IEntityTypeConfiguration<Evaluation>
{
    public void Configure(EntityTypeBuilder<Evaluation> b)
    {
        b.ToTable("Evaluations");
        b.HasKey(e => e.Id);
        // One evaluation per cycle: a second create in a race loses on this index (409).
        b.HasIndex(e => new { e.ProjectId, e.Cycle }).IsUnique();
        b.Property(e => e.Effectiveness).HasMaxLength(EvaluationLimits.MaxText).IsRequired();
        b.Property(e => e.Impact).HasMaxLength(EvaluationLimits.MaxText).IsRequired();
        b.Property(e => e.CostRealised).HasPrecision(18, 2);
        b.Property(e => e.Currency).HasMaxLength(3);
        b.Property(e => e.BenefitsJson).IsRequired();
        b.Property(e => e.SocioEconomicOutcomes).HasMaxLength(EvaluationLimits.MaxText).IsRequired();
        b.Property(e => e.UnintendedConsequences).HasMaxLength(EvaluationLimits.MaxText).IsRequired();
        b.Property(e => e.RecordedById).HasMaxLength(450).IsRequired();
        b.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Cascade);
        // The consultation stays with the evaluation: a referenced participation event is not removed (its command refuses).
        b.HasOne<ParticipationEvent>().WithMany().HasForeignKey(e => e.ParticipationEventId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(e => e.Benefits);
        b.Ignore(e => e.Details);
    }
}

internal sealed class AdaptiveDecisionConfiguration : IEntityTypeConfiguration<AdaptiveDecision>
{
    public void Configure(EntityTypeBuilder<AdaptiveDecision> b)
    {
        b.ToTable("AdaptiveDecisions");
        b.HasKey(d => d.Id);
        // "Recent decisions" across projects (the portfolio) and one project's decisions.
        b.HasIndex(d => d.DecidedAt);
        b.HasIndex(d => new { d.ProjectId, d.Cycle }).IsUnique();
        b.Property(d => d.Kind).HasMaxLength(40).IsRequired();
        b.Property(d => d.Rationale).HasMaxLength(EvaluationLimits.MaxText).IsRequired();
        b.Property(d => d.Trigger).HasMaxLength(100).IsRequired();
        b.Property(d => d.FromState).HasMaxLength(100).IsRequired();
        b.Property(d => d.ResultingState).HasMaxLength(100).IsRequired();
        b.Property(d => d.DecidedById).HasMaxLength(450).IsRequired();
        b.HasOne<Project>().WithMany().HasForeignKey(d => d.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Evaluation>().WithMany().HasForeignKey(d => d.EvaluationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LessonConfiguration : IEntityTypeConfiguration<Lesson>
{
    public void Configure(EntityTypeBuilder<Lesson> b)
    {
        b.ToTable("Lessons");
        b.HasKey(l => l.Id);
        b.HasIndex(l => new { l.ProjectId, l.RecordedAt });
        b.HasIndex(l => new { l.Topic, l.RecordedAt });
        b.Property(l => l.Topic).HasMaxLength(20).IsRequired();
        b.Property(l => l.WhatWorked).HasMaxLength(EvaluationLimits.MaxText).IsRequired();
        b.Property(l => l.WhatDidNot).HasMaxLength(EvaluationLimits.MaxText).IsRequired();
        b.Property(l => l.Recommendation).HasMaxLength(EvaluationLimits.MaxText).IsRequired();
        b.Property(l => l.RecordedById).HasMaxLength(450).IsRequired();
        b.HasOne<Project>().WithMany().HasForeignKey(l => l.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(l => l.Details);
    }
}
