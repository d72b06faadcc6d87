using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>
/// Reminders, the delivery half (decision 0028): Hangfire (storage by provider, optional background server, the
/// dashboard at <c>/hangfire</c> for administrators), the scan, the e-mail outbox's delivery jobs and the digests,
/// and the e-mail transport (SMTP or the pickup folder).
/// </summary>
public static class RemindersFeature
{
    public const string ScanJobId = "reminders-scan";
    public const string DailyDigestJobId = "reminders-daily-digest";
    public const string WeeklyDigestJobId = "reminders-weekly-digest";

    /// <summary>The dashboard's path.</summary>
    public const string DashboardPath = "/hangfire";

    public static IHostApplicationBuilder AddReminders(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = ReminderOptions.Read(builder.Configuration);
        var mail = MailSettings.Read(builder.Configuration);
        var provider = PersistenceExtensions.GetProvider(builder.Configuration);
        services.AddSingleton(options);
        services.AddSingleton(mail);
        services.AddSingleton<IReminderMailTransport>(sp => mail.UsesSmtp
            ? new SmtpMailTransport(mail)
            : new PickupFolderMailTransport(PickupFolder(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value.Root), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ReminderMessages>();
        services.AddScoped<ReminderScan>();
        services.AddScoped<ReminderEmailDelivery>();
        services.AddScoped<DailyDigest>();
        services.AddScoped<WeeklyDigest>();

        // This host's own storage, activator and filters, registered before AddHangfire (which only adds what is
        // missing): Hangfire's static JobStorage.Current is never read, so hosts in one process keep apart.
        services.AddSingleton(sp => ReminderStorage.Create(provider, builder.Configuration));
        // Ready: the job storage answers too (the queue every node shares on SQL Server and PostgreSQL).
        services.AddHealthChecks().AddCheck<JobStorageHealthCheck>("jobs", tags: ["ready"]);
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IJobFilterProvider>(_ => new JobFilterProviderCollection(JobFilterProviders.Providers, new ReminderJobFilters(options)));
        services.AddHangfire((sp, configuration) => configuration
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        if (options.RunServer)
        {
            services.AddHangfireServer((_, server) =>
            {
                server.WorkerCount = options.WorkerCount;
                server.SchedulePollingInterval = TimeSpan.FromSeconds(options.PollSeconds);
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
        }
        return builder;
    }

    /// <summary><c>{Storage:Root}/mail/pickup</c>.</summary>
    public static string PickupFolder(string storageRoot) => Path.Combine(storageRoot, "mail", "pickup");

    /// <summary>The dashboard at <c>/hangfire</c>, for administrators only (the <see cref="Policies.ManageUsers"/> policy).</summary>
    public static IEndpointRouteBuilder MapReminders(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.ManageUsers, DashboardPath, new DashboardOptions
        {
            DashboardTitle = "RestorationWorkflow — jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    /// <summary>
    /// Registers (or updates) the recurring jobs from configuration, in the job storage: the scan, the daily and the
    /// weekly digest, all in UTC. Called once at start-up; every node may call it (the jobs are keyed by id).
    /// </summary>
    /// <exception cref="StartupException">A cron expression is not valid (one line naming the key).</exception>
    public static void ScheduleReminderJobs(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<ReminderOptions>();
        var recurring = services.GetRequiredService<IRecurringJobManager>();
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        Schedule("Reminders:ScanCron", options.ScanCron, cron =>
            recurring.AddOrUpdate<ReminderScan>(ScanJobId, scan => scan.RunAsync(CancellationToken.None), cron, utc));
        Schedule("Reminders:DailyDigestCron", options.DailyDigestCron, cron =>
            recurring.AddOrUpdate<DailyDigest>(DailyDigestJobId, digest => digest.RunAsync(CancellationToken.None), cron, utc));
        Schedule("Reminders:WeeklyDigestCron", options.WeeklyDigestCron, cron =>
            recurring.AddOrUpdate<WeeklyDigest>(WeeklyDigestJobId, digest => digest.RunAsync(CancellationToken.None), cron, utc));

        var provider = PersistenceExtensions.GetProvider(services.GetRequiredService<IConfiguration>());
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RemindersFeature)).LogInformation(
            "Reminders: scan '{ScanCron}', daily digest '{DailyCron}', weekly digest '{WeeklyCron}' (UTC); jobs in {Storage}; e-mail to {Transport}; background server {Server}.",
            options.ScanCron, options.DailyDigestCron, options.WeeklyDigestCron, ReminderStorage.Describe(provider),
            services.GetRequiredService<IReminderMailTransport>().Describe(), options.RunServer ? "on" : "off");
    }

    private static void Schedule(string key, string cron, Action<string> add)
    {
        try
        {
            add(cron);
        }
        catch (ArgumentException ex)
        {
            throw new StartupException($"{key} '{TextRules.Quote(cron)}' is not a valid cron expression: {ex.Message}", ex);
        }
    }
}
