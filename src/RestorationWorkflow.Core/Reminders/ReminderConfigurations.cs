using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Reminders;

internal sealed class DueItemConfiguration : IEntityTypeConfiguration<DueItem>
{
    public void Configure(EntityTypeBuilder<DueItem> b)
    {
        b.ToTable("DueItems");
        b.HasKey(d => d.Id);
        b.Property(d => d.Kind).HasMaxLength(32).IsRequired();
        b.Property(d => d.Key).HasMaxLength(200).IsRequired();
        b.Property(d => d.TitleEn).HasMaxLength(500).IsRequired();
        b.Property(d => d.TitleZh).HasMaxLength(500).IsRequired();
        b.Ignore(d => d.Title);
        b.HasIndex(d => new { d.ProjectId, d.Key }).IsUnique();
        // The overdue report and the digests read items by due date; the scan reads the unsettled ones, in pages (DueOn, Id).
        b.HasIndex(d => new { d.DueOn, d.Id });
        b.HasIndex(d => new { d.Settled, d.DueOn, d.Id });
        b.HasOne<Project>().WithMany().HasForeignKey(d => d.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MonitoringReviewConfiguration : IEntityTypeConfiguration<MonitoringReview>
{
    public void Configure(EntityTypeBuilder<MonitoringReview> b)
    {
        b.ToTable("MonitoringReviews");
        b.HasKey(r => r.Id);
        b.Property(r => r.Summary).HasMaxLength(4000).IsRequired();
        b.Property(r => r.RecordedById).HasMaxLength(450).IsRequired();
        b.HasIndex(r => new { r.ProjectId, r.TargetId, r.ReviewedOn });
        b.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SentReminderConfiguration : IEntityTypeConfiguration<SentReminder>
{
    public void Configure(EntityTypeBuilder<SentReminder> b)
    {
        b.ToTable("SentReminders");
        b.HasKey(s => s.Id);
        b.Property(s => s.Key).HasMaxLength(200).IsRequired();
        b.Property(s => s.Stage).HasMaxLength(32).IsRequired();
        b.HasIndex(s => s.Key).IsUnique();
        b.HasIndex(s => s.ProjectId);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("Notifications");
        b.HasKey(n => n.Id);
        b.Property(n => n.UserId).HasMaxLength(450).IsRequired();
        b.Property(n => n.Stage).HasMaxLength(32).IsRequired();
        b.Property(n => n.TitleEn).HasMaxLength(1000).IsRequired();
        b.Property(n => n.TitleZh).HasMaxLength(1000).IsRequired();
        b.Property(n => n.Link).HasMaxLength(500).IsRequired();
        // The bell: a person's unread count and newest first.
        b.HasIndex(n => new { n.UserId, n.ReadAt, n.CreatedAt });
        b.HasOne<AppUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReminderEmailConfiguration : IEntityTypeConfiguration<ReminderEmail>
{
    public void Configure(EntityTypeBuilder<ReminderEmail> b)
    {
        b.ToTable("ReminderEmails");
        b.HasKey(e => e.Id);
        b.Property(e => e.UserId).HasMaxLength(450).IsRequired();
        b.Property(e => e.LastError).HasMaxLength(2000).IsRequired();
        b.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.Revision).IsConcurrencyToken();
        b.HasIndex(e => new { e.Status, e.EnqueuedAt });
        b.HasIndex(e => e.NotificationId).IsUnique();
        b.HasOne<Notification>().WithMany().HasForeignKey(e => e.NotificationId).OnDelete(DeleteBehavior.Cascade);
    }
}
