using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RestorationWorkflow.Projects;

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> b)
    {
        b.ToTable("Sites");
        b.HasKey(s => s.Id);
        b.Property(s => s.Name).HasMaxLength(200).IsRequired();
        b.Property(s => s.EcosystemType).HasMaxLength(40).IsRequired();
        b.Property(s => s.Tenure).HasMaxLength(40).IsRequired();
        // Plain text on every provider (no spatial type): nvarchar(max) on SQL Server, TEXT on SQLite.
        b.Property(s => s.Boundary).IsRequired();
        b.Property(s => s.BoundaryHash).HasMaxLength(64).IsRequired();
        b.Property(s => s.DeclaredHectares).HasPrecision(14, 2);
        b.Property(s => s.ComputedHectares).HasPrecision(14, 4);
        // The ecosystem filter's lookup (a project with a site of a type) and the migration that filled each project's
        // hectares per ecosystem type (decision 0045) read this index alone: the boundaries (kilobytes each) are not read.
        b.HasIndex(s => new { s.ProjectId, s.EcosystemType, s.ComputedHectares });
        b.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(s => s.Details);
    }
}
