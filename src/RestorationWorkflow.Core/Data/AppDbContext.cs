using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Data;

/// <summary>
/// The one DbContext. Provider-neutral: the web host picks SQLite or SQL Server and the matching
/// migrations assembly (<c>RestorationWorkflow.Migrations.Sqlite</c> / <c>.SqlServer</c>).
/// </summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    /// <summary>Data-protection keys (cookies, bearer tokens, anti-forgery) shared by every web node of one database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<ChecklistItem> ChecklistItems => Set<ChecklistItem>();

    public DbSet<ProjectMember> ProjectMembers => Set<ProjectMember>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<UserAuditEvent> UserAuditEvents => Set<UserAuditEvent>();

    /// <summary>
    /// Read from the options, not from <c>Database.ProviderName</c>: model building must not reach back into
    /// the context's services while the model is being built.
    /// </summary>
    private bool IsSqlite { get; } = options.Extensions.Any(e => e.GetType().Name == "SqliteOptionsExtension");

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no date-time-with-offset type: stored as text, it cannot be ordered or compared in SQL.
        // As a 64-bit number of UTC ticks it sorts correctly and keeps every tick (the audit hash covers
        // UtcTicks, so a lossy encoding such as DateTimeOffsetToBinaryConverter would break the chain).
        if (IsSqlite)
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        }
    }

    /// <summary>A <see cref="DateTimeOffset"/> as its UTC ticks: exact, sortable; read back in UTC.</summary>
    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<AppUser>(b =>
        {
            b.Property(u => u.DisplayName).HasMaxLength(200);
        });

        builder.Entity<Project>(b =>
        {
            b.ToTable("Projects");
            b.HasKey(p => p.Id);
            b.Property(p => p.Name).HasMaxLength(200).IsRequired();
            b.Property(p => p.Description).HasMaxLength(4000);
            b.Property(p => p.Country).HasMaxLength(2).IsRequired();
            b.PrimitiveCollection(p => p.EcosystemTypes);
            b.Property(p => p.AreaHectares).HasPrecision(14, 2);
            b.Property(p => p.State).HasMaxLength(64).IsRequired();
            b.Property(p => p.StateBeforeSuspension).HasMaxLength(64);
            b.Property(p => p.WorkflowId).HasMaxLength(100).IsRequired();
            b.Property(p => p.Version).IsConcurrencyToken();
            b.Property(p => p.CreatedById).HasMaxLength(450);
            b.Property(p => p.AuditHead).HasMaxLength(64);
            b.HasIndex(p => p.State);
            b.HasIndex(p => new { p.WorkflowId, p.WorkflowVersion });
            b.HasIndex(p => p.Name);
            b.HasMany(p => p.Checklist).WithOne().HasForeignKey(i => i.ProjectId).OnDelete(DeleteBehavior.Cascade);
            b.HasMany(p => p.Members).WithOne().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
            b.Navigation(p => p.Checklist).HasField("_checklist").UsePropertyAccessMode(PropertyAccessMode.Field);
            b.Navigation(p => p.Members).HasField("_members").UsePropertyAccessMode(PropertyAccessMode.Field);
            b.Ignore(p => p.Details);
        });

        builder.Entity<ChecklistItem>(b =>
        {
            b.ToTable("ChecklistItems");
            b.HasKey(i => new { i.ProjectId, i.Code });
            b.Property(i => i.Code).HasMaxLength(8);
            b.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(i => i.Note).HasMaxLength(4000);
            b.Property(i => i.UpdatedById).HasMaxLength(450);
            b.Ignore(i => i.IsSettled);
        });

        builder.Entity<ProjectMember>(b =>
        {
            b.ToTable("ProjectMembers");
            b.HasKey(m => new { m.ProjectId, m.UserId, m.Role });
            b.Property(m => m.UserId).HasMaxLength(450);
            b.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
            b.HasIndex(m => m.UserId);
            b.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<UserAuditEvent>(b =>
        {
            b.ToTable("UserAuditEvents");
            b.HasKey(e => e.Id);
            b.HasIndex(e => new { e.UserId, e.Id });
            b.Property(e => e.ActorId).HasMaxLength(450);
            b.Property(e => e.ActorName).HasMaxLength(256);
            b.Property(e => e.Action).HasMaxLength(64);
            b.Property(e => e.UserId).HasMaxLength(450);
            b.Property(e => e.UserEmail).HasMaxLength(256);
        });

        builder.Entity<AuditEvent>(b =>
        {
            b.ToTable("AuditEvents");
            b.HasKey(e => e.Id);
            b.HasIndex(e => new { e.ProjectId, e.Sequence }).IsUnique();
            b.Property(e => e.ActorId).HasMaxLength(450);
            b.Property(e => e.ActorName).HasMaxLength(256);
            b.Property(e => e.Action).HasMaxLength(64);
            b.Property(e => e.FromState).HasMaxLength(64);
            b.Property(e => e.ToState).HasMaxLength(64);
            b.Property(e => e.Trigger).HasMaxLength(64);
            b.Property(e => e.Comment).HasMaxLength(4000);
            b.Property(e => e.WorkflowId).HasMaxLength(100);
            b.Property(e => e.PreviousHash).HasMaxLength(64).IsFixedLength();
            b.Property(e => e.Hash).HasMaxLength(64).IsFixedLength();
            b.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
