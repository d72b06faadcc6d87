using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RestorationWorkflow.Evidence;

namespace RestorationWorkflow.Projects.Targets;

internal sealed class MeasurementConfiguration : IEntityTypeConfiguration<Measurement>
{
    public void Configure(EntityTypeBuilder<Measurement> b)
    {
        b.ToTable("Measurements");
        b.HasKey(m => m.Id);
        b.Property(m => m.Value).HasPrecision(18, 4);
        b.Property(m => m.Unit).HasMaxLength(40).IsRequired();
        b.Property(m => m.Method).HasMaxLength(MeasurementRules.MaxMethod).IsRequired();
        b.Property(m => m.MeasuredBy).HasMaxLength(MeasurementRules.MaxMeasuredBy).IsRequired();
        b.Property(m => m.Notes).HasMaxLength(MeasurementRules.MaxNotes).IsRequired();
        b.Property(m => m.RecordedById).HasMaxLength(450).IsRequired();
        // A target's time series (the chart, the status) and the portfolio's aggregation by project and target.
        b.HasIndex(m => new { m.ProjectId, m.TargetId, m.MeasuredOn });
        // The id breaks ties on a day (the latest measurement is the highest id of the latest day) and the value makes it
        // covering: the portfolio finds each target's latest measurement in this index alone (decision 0033).
        b.HasIndex(m => new { m.TargetId, m.MeasuredOn, m.Id, m.Value });
        b.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
        // A target with measurements is not removed (its command refuses): the results stay with what they measured.
        b.HasOne<RestorationTarget>().WithMany().HasForeignKey(m => m.TargetId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<EvidenceFile>().WithMany().HasForeignKey(m => m.EvidenceFileId).OnDelete(DeleteBehavior.NoAction);
        b.Ignore(m => m.Details);
    }
}
