using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RestorationWorkflow.Projects.Targets;

internal sealed class TargetConfiguration : IEntityTypeConfiguration<RestorationTarget>
{
    public void Configure(EntityTypeBuilder<RestorationTarget> b)
    {
        b.ToTable("RestorationTargets");
        b.HasKey(t => t.Id);
        b.Property(t => t.Kind).HasMaxLength(20).IsRequired();
        b.Property(t => t.Indicator).HasMaxLength(40).IsRequired();
        b.Property(t => t.CustomIndicator).HasMaxLength(200);
        b.Property(t => t.Unit).HasMaxLength(40).IsRequired();
        b.Property(t => t.BaselineValue).HasPrecision(18, 4);
        b.Property(t => t.BaselineSource).HasMaxLength(1000).IsRequired();
        b.Property(t => t.Action).HasMaxLength(20).IsRequired();
        b.Property(t => t.Quantity).HasPrecision(18, 4);
        // At most 100 sites of 36 characters and a comma each; nvarchar(max) is not needed.
        b.Property(t => t.SiteIdList).HasMaxLength(3700).IsRequired();
        b.Property(t => t.LatestValue).HasPrecision(18, 4);
        b.Property(t => t.ProgressRule).HasMaxLength(100);
        // A project's targets; for a scope's targets by status (a manager's team), also their status and the rule it was
        // decided under, so that counting them reads no target row (decision 0053).
        b.HasIndex(t => new { t.ProjectId, t.ProgressRule, t.Progress });
        // The portfolio counts targets by status from this index alone, in status order, and finds the rows decided under
        // other thresholds (or never) with a range of it (decision 0044).
        b.HasIndex(t => new { t.ProgressRule, t.Progress, t.ProjectId });
        b.HasOne<Project>().WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(t => t.SiteIds);
        b.Ignore(t => t.Details);
    }
}
