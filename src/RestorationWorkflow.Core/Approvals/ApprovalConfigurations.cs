using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Approvals;

internal sealed class ApprovalRequestConfiguration : IEntityTypeConfiguration<ApprovalRequest>
{
    public void Configure(EntityTypeBuilder<ApprovalRequest> b)
    {
        b.ToTable("ApprovalRequests");
        b.HasKey(r => r.Id);
        b.Property(r => r.Gate).HasMaxLength(64).IsRequired();
        b.Property(r => r.State).HasMaxLength(64).IsRequired();
        b.Property(r => r.SubmittedById).HasMaxLength(450).IsRequired();
        b.Property(r => r.Snapshot).IsRequired();
        b.Property(r => r.SnapshotHash).HasMaxLength(64).IsRequired();
        b.Property(r => r.StaleSections).HasMaxLength(400).IsRequired();
        b.Property(r => r.Revision).IsConcurrencyToken();
        // One submission number per project and gate. The inbox: open requests by staleness and due date, covering
        // every column its filters read, so that counting and paging never read a row (its snapshot is kilobytes).
        b.HasIndex(r => new { r.ProjectId, r.Gate, r.Sequence }).IsUnique();
        b.HasIndex(r => new { r.Status, r.Stale, r.OnHold, r.DueAt, r.Gate, r.ProjectId, r.SubmittedById, r.OpenedAt, r.Id })
            .HasDatabaseName("IX_ApprovalRequests_Inbox");
        b.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(r => r.Decisions).WithOne().HasForeignKey(d => d.RequestId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(r => r.Decisions).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(r => r.IsOpen);
        b.Ignore(r => r.ApprovalCount);
    }
}

internal sealed class ApprovalDecisionConfiguration : IEntityTypeConfiguration<ApprovalDecision>
{
    public void Configure(EntityTypeBuilder<ApprovalDecision> b)
    {
        b.ToTable("ApprovalDecisions");
        b.HasKey(d => d.Id);
        b.Property(d => d.Decision).HasConversion<string>().HasMaxLength(10);
        b.Property(d => d.DeciderId).HasMaxLength(450).IsRequired();
        b.Property(d => d.OnBehalfOfId).HasMaxLength(450);
        b.Property(d => d.Comment).HasMaxLength(4000);
        b.PrimitiveCollection(d => d.Sections).Metadata.SetValueComparer(new TextListComparer());
        b.Property(d => d.SnapshotHash).HasMaxLength(64).IsRequired();
        // A person decides a request once, in person or through a delegate.
        b.HasIndex(d => new { d.RequestId, d.DeciderId }).IsUnique();
        b.HasIndex(d => d.ProjectId);
        b.HasIndex(d => d.DeciderId);
    }
}

internal sealed class ApprovalDelegationConfiguration : IEntityTypeConfiguration<ApprovalDelegation>
{
    public void Configure(EntityTypeBuilder<ApprovalDelegation> b)
    {
        b.ToTable("ApprovalDelegations");
        b.HasKey(d => d.Id);
        b.Property(d => d.DelegatorId).HasMaxLength(450).IsRequired();
        b.Property(d => d.DelegateId).HasMaxLength(450).IsRequired();
        b.Property(d => d.CreatedById).HasMaxLength(450).IsRequired();
        b.Property(d => d.RevokedById).HasMaxLength(450);
        b.HasIndex(d => d.DelegatorId);
        b.HasIndex(d => d.DelegateId);
        b.HasOne<AppUser>().WithMany().HasForeignKey(d => d.DelegatorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppUser>().WithMany().HasForeignKey(d => d.DelegateId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(d => d.IsRevoked);
    }
}
