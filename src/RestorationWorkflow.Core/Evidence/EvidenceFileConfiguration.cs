using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Evidence;

internal sealed class EvidenceFileConfiguration : IEntityTypeConfiguration<EvidenceFile>
{
    public void Configure(EntityTypeBuilder<EvidenceFile> b)
    {
        b.ToTable("EvidenceFiles");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.Code).HasMaxLength(8);
        b.Property(e => e.TargetKey).HasMaxLength(64).IsRequired();
        b.Property(e => e.FileName).HasMaxLength(EvidenceFileNames.MaxLength).IsRequired();
        b.Property(e => e.MediaType).HasMaxLength(100).IsRequired();
        b.Property(e => e.Extension).HasMaxLength(16).IsRequired();
        b.Property(e => e.Sha256).HasMaxLength(64).IsRequired();
        b.Property(e => e.StorageName).HasMaxLength(200).IsRequired();
        b.Property(e => e.UploadedById).HasMaxLength(450).IsRequired();
        // Two uploads racing for the same version of one name: the second fails here (409), nothing is overwritten.
        b.HasIndex(e => new { e.ProjectId, e.TargetKey, e.FileName, e.Version }).IsUnique();
        b.HasIndex(e => e.StorageName).IsUnique();
        b.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(e => e.DownloadName);
    }
}
