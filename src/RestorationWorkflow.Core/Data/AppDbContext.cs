using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Evidence;
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

    public DbSet<EvidenceFile> EvidenceFiles => Set<EvidenceFile>();
    public DbSet<StepForm> StepForms => Set<StepForm>();
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<Stakeholder> Stakeholders => Set<Stakeholder>();
    public DbSet<ParticipationEvent> ParticipationEvents => Set<ParticipationEvent>();
    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();
    public DbSet<Projects.Targets.RestorationTarget> RestorationTargets => Set<Projects.Targets.RestorationTarget>();

    public DbSet<Projects.Targets.Measurement> Measurements => Set<Projects.Targets.Measurement>();

    public DbSet<Projects.Evaluations.Evaluation> Evaluations => Set<Projects.Evaluations.Evaluation>();

    public DbSet<Projects.Evaluations.AdaptiveDecision> AdaptiveDecisions => Set<Projects.Evaluations.AdaptiveDecision>();

    public DbSet<Projects.Evaluations.Lesson> Lessons => Set<Projects.Evaluations.Lesson>();

    public DbSet<Projects.Safeguards.SafeguardReview> SafeguardReviews => Set<Projects.Safeguards.SafeguardReview>();

    public DbSet<Projects.Safeguards.SafeguardAnswer> SafeguardAnswers => Set<Projects.Safeguards.SafeguardAnswer>();

    public DbSet<Projects.Safeguards.SafeguardAcknowledgement> SafeguardAcknowledgements => Set<Projects.Safeguards.SafeguardAcknowledgement>();

    public DbSet<Projects.Safeguards.PlannedSpecies> PlannedSpecies => Set<Projects.Safeguards.PlannedSpecies>();

    public DbSet<Approvals.ApprovalRequest> ApprovalRequests => Set<Approvals.ApprovalRequest>();

    public DbSet<Approvals.ApprovalDecision> ApprovalDecisions => Set<Approvals.ApprovalDecision>();

    public DbSet<Approvals.ApprovalDelegation> ApprovalDelegations => Set<Approvals.ApprovalDelegation>();

    public DbSet<Reminders.DueItem> DueItems => Set<Reminders.DueItem>();

    public DbSet<Reminders.MonitoringReview> MonitoringReviews => Set<Reminders.MonitoringReview>();

    public DbSet<Reminders.SentReminder> SentReminders => Set<Reminders.SentReminder>();

    public DbSet<Reminders.Notification> Notifications => Set<Reminders.Notification>();

    public DbSet<Reminders.ReminderEmail> ReminderEmails => Set<Reminders.ReminderEmail>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<UserAuditEvent> UserAuditEvents => Set<UserAuditEvent>();

    public DbSet<AuditVerification> AuditVerifications => Set<AuditVerification>();

    public DbSet<Reports.Report> Reports => Set<Reports.Report>();

    public DbSet<Reports.ReportDownload> ReportDownloads => Set<Reports.ReportDownload>();

    /// <summary>
    /// Read from the options, not from <c>Database.ProviderName</c>: model building must not reach back into
    /// the context's services while the model is being built.
    /// </summary>
    private bool IsSqlite { get; } = options.Extensions.Any(e => e.GetType().Name == "SqliteOptionsExtension");

    /// <summary>PostgreSQL (Npgsql), read the same way (decision 0041).</summary>
    private bool IsPostgreSql { get; } = options.Extensions.Any(e => e.GetType().Name == "NpgsqlOptionsExtension");

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no date-time-with-offset type: stored as text, it cannot be ordered or compared in SQL.
        // As a 64-bit number of UTC ticks it sorts correctly and keeps every tick (the audit hash covers
        // UtcTicks, so a lossy encoding such as DateTimeOffsetToBinaryConverter would break the chain).
        // PostgreSQL's timestamptz keeps microseconds, not ticks: the last digit would change on the way back and
        // break the chain too, so it stores the same exact ticks (a bigint; decision 0041).
        if (IsSqlite || IsPostgreSql)
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        }
        // PostgreSQL's numeric(18,4) gives 43.3 back as 43.3000; SQLite and the API give 43.3. Read back without the
        // trailing zeros the column's scale adds, so the API, the exports and the audit's old -> new read the same
        // on every provider (decision 0041).
        if (IsPostgreSql)
        {
            configurationBuilder.Properties<decimal>().HaveConversion<TrimmedDecimalConverter>();
            configurationBuilder.Properties<decimal?>().HaveConversion<TrimmedDecimalConverter>();
        }
    }

    /// <summary>A decimal as stored; read back without trailing zeros (dividing by 1.000… keeps the value, drops the scale).</summary>
    private sealed class TrimmedDecimalConverter() : ValueConverter<decimal, decimal>(
        v => v,
        v => v / 1.0000000000000000000000000000m);

    /// <summary>A <see cref="DateTimeOffset"/> as its UTC ticks: exact, sortable; read back in UTC.</summary>
    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));

    /// <summary>Identity's tables, then one <see cref="IEntityTypeConfiguration{TEntity}"/> per entity, each beside its entity.</summary>
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        // The content stamp's triggers (decision 0068), declared so that SQL Server saves these tables without OUTPUT.
        foreach (var type in CoveredContent.StampedEntities)
        {
            var entity = builder.Entity(type);
            entity.ToTable(t => t.HasTrigger(CoveredContent.TriggerOf(entity.Metadata.GetTableName()!)));
        }
        builder.Entity<Project>().ToTable(t => t.HasTrigger(CoveredContent.TriggerOf("Projects")));
        if (IsSqlite)
            SiteAreas.CoverStateIndex(builder.Entity<Project>());
        StoredText.Map(builder);
    }
}
