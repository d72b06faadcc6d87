using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RestorationWorkflow.Identity;

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.PreferredLanguage).HasMaxLength(10);
        b.Property(u => u.CalendarTokenHash).HasMaxLength(64);
        b.HasIndex(u => u.CalendarTokenHash).IsUnique();
    }
}
