using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Audit;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.ToTable("AuditEvents");
        b.HasKey(e => e.Id);
        b.HasIndex(e => new { e.ProjectId, e.Sequence }).IsUnique();
        // The portfolio's recent decisions: the newest transitions across projects, read backwards (decision 0033).
        b.HasIndex(e => new { e.Action, e.At });
        b.Property(e => e.ActorId).HasMaxLength(450);
        b.Property(e => e.ActorName).HasMaxLength(256);
        b.Property(e => e.Action).HasMaxLength(64);
        b.Property(e => e.FromState).HasMaxLength(64);
        b.Property(e => e.ToState).HasMaxLength(64);
        b.Property(e => e.Trigger).HasMaxLength(64);
        b.Property(e => e.Comment).HasMaxLength(4000);
        b.Property(e => e.WorkflowId).HasMaxLength(100);
        b.Property(e => e.PreviousHash).HasMaxLength(64).IsFixedLength();
        b.Property(e => e.Hash).HasMaxLength(64).IsFixedLength();
        b.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class UserAuditEventConfiguration : IEntityTypeConfiguration<UserAuditEvent>
{
    public void Configure(EntityTypeBuilder<UserAuditEvent> b)
    {
        b.ToTable("UserAuditEvents");
        b.HasKey(e => e.Id);
        b.HasIndex(e => new { e.UserId, e.Id });
        b.HasIndex(e => e.Sequence).IsUnique();
        b.Property(e => e.PreviousHash).HasMaxLength(64);
        b.Property(e => e.Hash).HasMaxLength(64);
        b.Property(e => e.ActorId).HasMaxLength(450);
        b.Property(e => e.ActorName).HasMaxLength(256);
        b.Property(e => e.Action).HasMaxLength(64);
        b.Property(e => e.UserId).HasMaxLength(450);
        b.Property(e => e.UserEmail).HasMaxLength(256);
    }
}

internal sealed class AuditVerificationConfiguration : IEntityTypeConfiguration<AuditVerification>
{
    public void Configure(EntityTypeBuilder<AuditVerification> b)
    {
        b.ToTable("AuditVerifications");
        b.HasKey(v => v.ProjectId);
        b.Property(v => v.VerifiedById).HasMaxLength(450);
        b.Property(v => v.HeadHash).HasMaxLength(64);
        b.Property(v => v.Reason).HasMaxLength(1000);
        b.HasOne<Project>().WithOne().HasForeignKey<AuditVerification>(v => v.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
