using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RestorationWorkflow.Projects.Safeguards;

internal sealed class SafeguardReviewConfiguration : IEntityTypeConfiguration<SafeguardReview>
{
    public void Configure(EntityTypeBuilder<SafeguardReview> b)
    {
        b.ToTable("SafeguardReviews");
        b.HasKey(r => r.ProjectId);
        b.Property(r => r.PlantingJustification).HasMaxLength(4000);
        b.HasOne<Project>().WithOne().HasForeignKey<SafeguardReview>(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SafeguardAnswerConfiguration : IEntityTypeConfiguration<SafeguardAnswer>
{
    public void Configure(EntityTypeBuilder<SafeguardAnswer> b)
    {
        b.ToTable("SafeguardAnswers");
        b.HasKey(a => new { a.ProjectId, a.Number });
        b.Property(a => a.Answer).HasMaxLength(20).IsRequired();
        b.Property(a => a.Note).HasMaxLength(4000);
        b.HasOne<Project>().WithMany().HasForeignKey(a => a.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SafeguardAcknowledgementConfiguration : IEntityTypeConfiguration<SafeguardAcknowledgement>
{
    public void Configure(EntityTypeBuilder<SafeguardAcknowledgement> b)
    {
        b.ToTable("SafeguardAcknowledgements");
        b.HasKey(a => a.Id);
        b.Property(a => a.FindingId).HasMaxLength(100).IsRequired();
        b.Property(a => a.JustificationSha256).HasMaxLength(64).IsRequired();
        b.Property(a => a.Comment).HasMaxLength(4000).IsRequired();
        b.Property(a => a.UserId).HasMaxLength(450).IsRequired();
        b.Property(a => a.UserName).HasMaxLength(256).IsRequired();
        b.HasIndex(a => new { a.ProjectId, a.FindingId });
        b.HasOne<Project>().WithMany().HasForeignKey(a => a.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlannedSpeciesConfiguration : IEntityTypeConfiguration<PlannedSpecies>
{
    public void Configure(EntityTypeBuilder<PlannedSpecies> b)
    {
        b.ToTable("PlannedSpecies");
        b.HasKey(s => s.Id);
        b.Property(s => s.ScientificName).HasMaxLength(200).IsRequired();
        b.Property(s => s.CommonName).HasMaxLength(200);
        b.Property(s => s.Provenance).HasMaxLength(20).IsRequired();
        b.Property(s => s.PrecautionaryJustification).HasMaxLength(4000);
        b.HasIndex(s => s.ProjectId);
        b.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(s => s.Details);
    }
}
