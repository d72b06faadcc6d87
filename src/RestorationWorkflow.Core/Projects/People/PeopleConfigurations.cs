using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RestorationWorkflow.Data;
using RestorationWorkflow.Evidence;

namespace RestorationWorkflow.Projects;

internal sealed class StakeholderConfiguration : IEntityTypeConfiguration<Stakeholder>
{
    public void Configure(EntityTypeBuilder<Stakeholder> b)
    {
        b.ToTable("Stakeholders");
        b.HasKey(s => s.Id);
        b.Property(s => s.Name).HasMaxLength(200).IsRequired();
        b.Property(s => s.Group).HasMaxLength(40).IsRequired();
        b.Property(s => s.Contact).HasMaxLength(500).IsRequired();
        b.HasIndex(s => s.ProjectId);
        b.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(s => s.Details);
    }
}

internal sealed class ParticipationEventConfiguration : IEntityTypeConfiguration<ParticipationEvent>
{
    public void Configure(EntityTypeBuilder<ParticipationEvent> b)
    {
        b.ToTable("ParticipationEvents");
        b.HasKey(e => e.Id);
        b.Property(e => e.StepCode).HasMaxLength(4).IsRequired();
        b.Property(e => e.Method).HasMaxLength(200).IsRequired();
        b.Property(e => e.Purpose).HasMaxLength(2000).IsRequired();
        b.Property(e => e.Outcome).HasMaxLength(4000).IsRequired();
        b.HasIndex(e => e.ProjectId);
        b.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<EvidenceFile>().WithMany().HasForeignKey(e => e.EvidenceFileId).OnDelete(DeleteBehavior.NoAction);
        b.Ignore(e => e.Details);
        b.Ignore(e => e.HasGenderCounts);
    }
}

internal sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> b)
    {
        b.ToTable("ConsentRecords");
        b.HasKey(c => c.Id);
        b.PrimitiveCollection(c => c.Scopes).Metadata.SetValueComparer(new TextListComparer());
        b.Property(c => c.Outcome).HasMaxLength(20).IsRequired();
        b.Property(c => c.Conditions).HasMaxLength(4000).IsRequired();
        b.Property(c => c.VerifiedById).HasMaxLength(450);
        b.Property(c => c.VerifiedByName).HasMaxLength(256);
        b.Property(c => c.WithdrawalReason).HasMaxLength(4000).IsRequired();
        b.HasIndex(c => c.ProjectId);
        b.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Cascade);
        // A stakeholder with consent records cannot be removed (the command says so first).
        b.HasOne<Stakeholder>().WithMany().HasForeignKey(c => c.StakeholderId).OnDelete(DeleteBehavior.NoAction);
        b.HasOne<EvidenceFile>().WithMany().HasForeignKey(c => c.EvidenceFileId).OnDelete(DeleteBehavior.NoAction);
        b.Ignore(c => c.Details);
        b.Ignore(c => c.EffectiveDate);
    }
}
