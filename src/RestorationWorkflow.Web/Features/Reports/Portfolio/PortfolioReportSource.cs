using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Portfolio;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reports.Portfolio;

/// <summary>
/// Loads what the portfolio report shows: the figures of the dashboard and of <c>GET /api/portfolio</c>
/// (<see cref="PortfolioService"/>, the one reader) over the projects the <b>requester</b> sees — every project for
/// approvers, auditors and administrators, their own projects for a project manager (<see cref="ProjectScope"/>) — with
/// every label resolved in the report's language (ecosystem types, states from the workflow definitions, step groups from
/// the seed, target statuses, due-item kinds). The job has no signed-in user, so the requester's principal is built as a
/// sign-in builds it (<see cref="ReportRequester"/>): their roles when the report is rendered.
/// </summary>
public sealed class PortfolioReportSource(
    PortfolioService portfolio, WorkflowCatalog catalog, ReportRequester requesters, TimeProvider time)
{
    /// <summary>The step groups in the table's order; <c>none</c>: a state outside the four groups.</summary>
    public static readonly IReadOnlyList<string> GroupColumns = ["A", "B", "C", "D", "none"];

    /// <summary>The report's input, or a <see cref="ReportFailedException"/> when the requester is gone or may no longer have it.</summary>
    public async Task<PortfolioReportInput> LoadAsync(string language, string requestedById, string requestedByName, CancellationToken ct)
    {
        var principal = await requesters.SignInAsync(requestedById)
            ?? throw new ReportFailedException($"The requester {requestedById} no longer exists; a portfolio report covers its requester's projects.");
        if (!ReportPolicies.PortfolioReportRoles.Any(principal.IsInRole))
            throw new ReportFailedException("The requester no longer holds a role that may have portfolio reports.");
        return await LoadAsync(language, principal, requestedByName, ct);
    }

    /// <summary>The report's input over <paramref name="requester"/>'s portfolio (no filters: every project in the scope).</summary>
    public async Task<PortfolioReportInput> LoadAsync(string language, ClaimsPrincipal requester, string requestedByName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var culture = language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? new CultureInfo("zh-Hans") : new CultureInfo("en");
        string T(LocalizedText text) => text.For(culture);
        var f = await portfolio.FiguresAsync(new PortfolioFilter(null, null, null, null), requester, ct);

        string State(string? code) => code is null ? "" : T(PortfolioDto.StateLabel(catalog, code));
        var ecosystems = PortfolioCharts.EcosystemRows(f.Hectares);
        var hectares = ecosystems.Select(code =>
        {
            var cells = f.Hectares.Where(c => c.EcosystemType == code).ToList();
            return new PortfolioEcosystemRow(code, T(EcosystemTypes.Label(code)),
                GroupColumns.ToDictionary(g => g, g => cells.Where(c => c.Group == g).Sum(c => c.Hectares), StringComparer.Ordinal),
                cells.Sum(c => c.Hectares), cells.Where(c => c.UnderRestoration).Sum(c => c.Hectares));
        }).ToList();

        // The states counted as under restoration, named from the newest definition of each workflow (v3: implementation to evaluation sign-off).
        var under = catalog.All.GroupBy(d => d.Id, StringComparer.Ordinal).Select(g => g.OrderByDescending(d => d.Version).First())
            .SelectMany(d => d.States.Where(s => MonitoringPhase.Of(d).Applies(s.Code)).Select(s => T(s.Label)))
            .Distinct(StringComparer.Ordinal).ToList();

        return new PortfolioReportInput(
            culture.Name,
            time.GetUtcNow(),
            requestedByName,
            ProjectScope.SeesAll(requester),
            f.Projects,
            f.HectaresUnderRestoration,
            f.HectaresTotal,
            [.. StaperSteps.Groups.Select(g => new PortfolioGroup(g.Group, T(g.Label)))],
            hectares,
            [.. f.States.Select(s => new PortfolioStateRow(s.State, State(s.State), s.Group, s.Projects))],
            [.. f.Targets.Select(s => new PortfolioStatusRow(s.Status, T(PortfolioDto.StatusLabel(s.Status)), s.Targets, s.Projects))],
            [.. f.Overdue.Select(o => new PortfolioOverdueRow(o.Kind, T(DueKindLabel(o.Kind)), o.Items, o.Projects))],
            [.. f.OldestOverdue.Select(o => new PortfolioOverdueEntry(o.ProjectCode, o.ProjectName, T(DueKindLabel(o.Kind)), T(o.Title), o.DueOn, o.DaysOverdue))],
            [.. f.Countries.Select(c => new PortfolioCountryRow(c.Country, c.Projects))],
            [.. f.RecentDecisions.Select(d => new PortfolioDecisionEntry(d.At, d.ProjectCode, d.ProjectName, T(d.Label),
                d.FromState is null ? null : State(d.FromState), d.ToState is null ? null : State(d.ToState)))],
            under);
    }

    /// <summary>A due item's kind, as the dashboard names it (the same words as its resource entries).</summary>
    public static LocalizedText DueKindLabel(string kind) => kind switch
    {
        DueItemKinds.TargetMonitoring => new("Target monitoring", "目标监测"),
        DueItemKinds.TargetDeadline => new("Target deadline", "目标期限"),
        DueItemKinds.PlanReview => new("Plan review", "计划审查"),
        DueItemKinds.ApprovalDecision => new("Approval decision", "审批决定"),
        DueItemKinds.ConsentRenewal => new("Consent renewal", "同意续期"),
        DueItemKinds.StepWindow => new("Step window", "步骤时间窗"),
        _ => new(kind, kind),
    };
}
