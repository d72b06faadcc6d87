using RestorationWorkflow.Web.Features.Reports.AuditTrail;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Reporting;

namespace RestorationWorkflow.Web.Features.Reports;

/// <summary>The reports' services: the renderers (pure, one per kind) and the sources that load their input.</summary>
public static class ReportsFeature
{
    public static IHostApplicationBuilder AddReporting(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The font ships with the app (decision 0035); without it no report can be drawn, so say so at start-up.
        if (!File.Exists(ReportFont.DefaultPath))
            throw new StartupException($"The report font is missing: {ReportFont.DefaultPath} (it ships in Reporting/Fonts/).");
        builder.Services.AddSingleton(_ => new AuditTrailReport());
        builder.Services.AddScoped<AuditTrailReportSource>();
        return builder;
    }
}
