using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Reports.AuditTrail;
using RestorationWorkflow.Web.Features.Reports.Monitoring;
using RestorationWorkflow.Web.Features.Reports.Portfolio;
using RestorationWorkflow.Web.Features.Reports.Dossier;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Reporting;

namespace RestorationWorkflow.Web.Features.Reports;

/// <summary>
/// The reports' services: the renderers (pure, one per kind), the sources that load their input, the kinds
/// (<see cref="IReportKind"/>), the storage, the render job, the service behind the API and pages, and the policies.
/// </summary>
public static class ReportsFeature
{
    public static IHostApplicationBuilder AddReporting(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The font ships with the app (decision 0035); without it no report can be drawn, so say so at start-up.
        if (!File.Exists(ReportFont.DefaultPath))
            throw new StartupException($"The report font is missing: {ReportFont.DefaultPath} (it ships in Reporting/Fonts/).");
        var services = builder.Services;
        // The page that downloads a report's PDF does not wait for a turn (decision 0059).
        services.ExemptPageFromRequestLimit("/Reports/Show");
        services.AddSingleton(_ => new AuditTrailReport());
        services.AddScoped<AuditTrailReportSource>();
        services.AddSingleton(_ => new MonitoringReport());
        services.AddScoped<MonitoringReportSource>();
        services.AddSingleton(_ => new PortfolioReport());
        services.AddScoped<PortfolioReportSource>();
        services.AddSingleton(_ => new DossierReport());
        services.AddScoped<DossierReportSource>();

        var options = new ReportOptions();
        builder.Configuration.GetSection(ReportOptions.Section).Bind(options);
        if (options.ReenqueueAfterMinutes < 1 || options.RenderTimeoutMinutes < 1 || options.PageSize is < 1 or > 200)
            throw new StartupException("Reports:ReenqueueAfterMinutes and Reports:RenderTimeoutMinutes must be at least 1, Reports:PageSize between 1 and 200.");
        services.AddSingleton(options);
        services.AddReportKind<AuditTrailReportKind>();
        services.AddReportKind<MonitoringReportKind>();
        services.AddReportKind<PortfolioReportKind>();
        services.AddReportKind<DossierReportKind>();
        services.AddScoped<ReportKinds>();
        services.AddScoped<ReportRequester>();
        services.AddSingleton<ReportStorage>();
        services.AddScoped<ReportJob>();
        services.AddScoped<ReportService>();
        services.AddScoped<IAuthorizationHandler, ReportAccessHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(ReportPolicies.ProjectReports, p => p.RequireAuthenticatedUser().RequireRole(ReportPolicies.ProjectReportRoles))
            .AddPolicy(ReportPolicies.PortfolioReports, p => p.RequireAuthenticatedUser().RequireRole(ReportPolicies.PortfolioReportRoles))
            .AddPolicy(ReportPolicies.Reports, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.All));
        return builder;
    }

    /// <summary>Registers one kind of report: the one line a new kind adds.</summary>
    public static IServiceCollection AddReportKind<T>(this IServiceCollection services)
        where T : class, IReportKind
    {
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IReportKind, T>());
        return services;
    }
}
