using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;

namespace RestorationWorkflow.Projects;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> b)
    {
        b.ToTable("Projects");
        b.HasKey(p => p.Id);
        b.Property(p => p.Name).HasMaxLength(200).IsRequired();
        b.Property(p => p.Description).HasMaxLength(4000);
        b.Property(p => p.Country).HasMaxLength(2).IsRequired();
        b.PrimitiveCollection(p => p.EcosystemTypes).Metadata.SetValueComparer(new TextListComparer());
        b.Property(p => p.AreaHectares).HasPrecision(14, 2);
        b.Property(p => p.Code).HasMaxLength(ProjectRegistryRules.CodeMaxLength).IsRequired();
        b.Property(p => p.Region).HasMaxLength(200);
        b.Property(p => p.Scale).HasMaxLength(20);
        b.Property(p => p.Situation).HasMaxLength(32);
        b.Property(p => p.Budget).HasPrecision(18, 2);
        b.Property(p => p.Currency).HasMaxLength(3);
        b.Property(p => p.LeadOrganisation).HasMaxLength(200);
        b.Property(p => p.State).HasMaxLength(64).IsRequired();
        b.Property(p => p.StateEnteredById).HasMaxLength(450);
        b.Property(p => p.StateBeforeSuspension).HasMaxLength(64);
        b.Property(p => p.WorkflowId).HasMaxLength(100).IsRequired();
        b.Property(p => p.Version).IsConcurrencyToken();
        b.Property(p => p.CreatedById).HasMaxLength(450);
        b.Property(p => p.AuditHead).HasMaxLength(64);
        b.Property(p => p.AuditHeadMac).HasMaxLength(64);
        // Filters by state use its prefix; the portfolio's projects per state (and version) read this index alone (decision 0044).
        b.HasIndex(p => new { p.State, p.WorkflowId, p.WorkflowVersion });
        b.HasIndex(p => new { p.WorkflowId, p.WorkflowVersion });
        // The project list's filters and sorts (search): the code is unique; country, situation and the update time
        // are filtered or sorted on. The sorts by name, country and state end in the list's tie-breakers (name, id), so
        // that a deep page walks one index instead of sorting or reading the rows it skips (decision 0046).
        b.HasIndex(p => new { p.Name, p.Id });
        b.HasIndex(p => new { p.State, p.Name, p.Id });
        b.HasIndex(p => p.Code).IsUnique();
        b.HasIndex(p => new { p.Country, p.Name, p.Id });
        b.HasIndex(p => p.Situation);
        b.HasIndex(p => new { p.UpdatedAt, p.Id });
        // Projects whose due items predate the current rules (the reminder scan's backfill looks them up).
        b.HasIndex(p => p.DuePlanRevision);
        b.HasMany(p => p.Checklist).WithOne().HasForeignKey(i => i.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(p => p.Members).WithOne().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(p => p.Checklist).HasField("_checklist").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(p => p.Members).HasField("_members").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(p => p.Details);
        b.Ignore(p => p.Registry);
        b.Ignore(p => p.ManagerCount);
        SiteAreas.Configure(b);
    }
}

internal sealed class ChecklistItemConfiguration : IEntityTypeConfiguration<ChecklistItem>
{
    public void Configure(EntityTypeBuilder<ChecklistItem> b)
    {
        b.ToTable("ChecklistItems");
        b.HasKey(i => new { i.ProjectId, i.Code });
        b.Property(i => i.Code).HasMaxLength(8);
        b.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.Note).HasMaxLength(4000);
        b.Property(i => i.UpdatedById).HasMaxLength(450);
        b.Ignore(i => i.IsSettled);
    }
}

internal sealed class ProjectMemberConfiguration : IEntityTypeConfiguration<ProjectMember>
{
    public void Configure(EntityTypeBuilder<ProjectMember> b)
    {
        b.ToTable("ProjectMembers");
        b.HasKey(m => new { m.ProjectId, m.UserId, m.Role });
        b.Property(m => m.UserId).HasMaxLength(450);
        b.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
        // A user's projects read from the index alone (the team scope of the list, the portfolio and the inbox, decision 0053).
        b.HasIndex(m => new { m.UserId, m.ProjectId });
        b.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class StepFormConfiguration : IEntityTypeConfiguration<StepForm>
{
    public void Configure(EntityTypeBuilder<StepForm> b)
    {
        b.ToTable("StepForms");
        b.HasKey(f => new { f.ProjectId, f.Code });
        b.Property(f => f.Code).HasMaxLength(8);
        b.Property(f => f.Values).IsRequired();
        b.Property(f => f.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.UpdatedById).HasMaxLength(450);
        b.HasOne<Project>().WithMany().HasForeignKey(f => f.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(f => f.IsSettled);
    }
}
