using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RestorationWorkflow.Reports;

internal sealed class ReportConfiguration : IEntityTypeConfiguration<Report>
{
    public void Configure(EntityTypeBuilder<Report> b)
    {
        b.ToTable("Reports");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.Kind).HasMaxLength(32).IsRequired();
        b.Property(r => r.Language).HasMaxLength(16).IsRequired();
        b.Property(r => r.RequestedById).HasMaxLength(450).IsRequired();
        b.Property(r => r.Status).HasMaxLength(16).IsRequired();
        b.Property(r => r.FailureReason).HasMaxLength(2000);
        b.Property(r => r.Sha256).HasMaxLength(64);
        b.Property(r => r.StorageName).HasMaxLength(200);
        // No foreign key to the project: a report names the project it was asked for, and a job for a project that has
        // gone fails with that reason rather than the row vanishing.
        b.HasIndex(r => new { r.ProjectId, r.RequestedAt });
        b.HasIndex(r => new { r.Status, r.EnqueuedAt });
        b.HasIndex(r => r.StorageName).IsUnique();
    }
}

internal sealed class ReportDownloadConfiguration : IEntityTypeConfiguration<ReportDownload>
{
    public void Configure(EntityTypeBuilder<ReportDownload> b)
    {
        b.ToTable("ReportDownloads");
        b.HasKey(d => d.Id);
        b.Property(d => d.UserId).HasMaxLength(450).IsRequired();
        b.Property(d => d.UserName).HasMaxLength(256).IsRequired();
        b.Property(d => d.Outcome).HasMaxLength(16).IsRequired();
        b.Property(d => d.FoundSha256).HasMaxLength(64);
        b.HasIndex(d => new { d.ReportId, d.At });
        b.HasOne<Report>().WithMany().HasForeignKey(d => d.ReportId).OnDelete(DeleteBehavior.Restrict);
    }
}
