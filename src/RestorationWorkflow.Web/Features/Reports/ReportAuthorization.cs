using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reports;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reports;

/// <summary>The named policies of reports (the roles that may reach the endpoints at all; the handler decides per report).</summary>
public static class ReportPolicies
{
    /// <summary>Project reports: auditors, project managers and approvers.</summary>
    public const string ProjectReports = nameof(ProjectReports);

    /// <summary>Portfolio reports: approvers, auditors, administrators and project managers.</summary>
    public const string PortfolioReports = nameof(PortfolioReports);

    /// <summary>A report by id (status, file): any role; <see cref="ReportAccessHandler"/> decides by the report's scope.</summary>
    public const string Reports = nameof(Reports);

    public static readonly string[] ProjectReportRoles = [AppRoles.Auditor, AppRoles.ProjectManager, AppRoles.Approver];

    public static readonly string[] PortfolioReportRoles = [AppRoles.Approver, AppRoles.Auditor, AppRoles.Administrator, AppRoles.ProjectManager];
}

/// <summary>Request or download a report of this scope (and project): the one rule for both.</summary>
public sealed class ReportAccessRequirement : IAuthorizationRequirement
{
    public static readonly ReportAccessRequirement Instance = new();
}

/// <summary>
/// The resource: a project report of <see cref="Project"/>, or the portfolio. <see cref="RequestedById"/> is the requester
/// of an existing report (null for a new request, whose requester is the caller).
/// </summary>
public sealed record ReportTarget(ReportScope Scope, Project? Project, string? RequestedById = null);

/// <summary>
/// Auditors: every report. Project managers and approvers: reports of the projects they may read (the project read rule,
/// <see cref="ProjectOperations.Read"/>, asked rather than copied). Portfolio reports (decision 0040): approvers, auditors,
/// administrators and project managers request them; a portfolio report covers its requester's portfolio scope
/// (<see cref="ProjectScope"/>), so it is seen and downloaded by its requester and by those whose scope is every project
/// (approvers, auditors, administrators) — not by another project manager, whose dashboard does not add up those
/// projects. Anyone else: refused, naming the rule.
/// </summary>
public sealed class ReportAccessHandler(IServiceProvider services) : AuthorizationHandler<ReportAccessRequirement, ReportTarget>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ReportAccessRequirement requirement, ReportTarget resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resource);
        var user = context.User;
        if (resource.Scope == ReportScope.Portfolio)
        {
            if (!ReportPolicies.PortfolioReportRoles.Any(user.IsInRole))
                Refuse(context, "Only approvers, auditors, administrators and project managers may have portfolio reports.", "只有审批人、审计员、管理员和项目经理可以获取组合报告。");
            else if (resource.RequestedById is null || ProjectScope.SeesAll(user)
                || string.Equals(resource.RequestedById, user.FindFirstValue(ClaimTypes.NameIdentifier), StringComparison.Ordinal))
                context.Succeed(requirement);
            else
                Refuse(context, "A portfolio report is seen by the person who requested it and by approvers, auditors and administrators.",
                    "组合报告仅供其申请人以及审批人、审计员和管理员查看。");
            return;
        }
        if (user.IsInRole(AppRoles.Auditor))
        {
            context.Succeed(requirement);
            return;
        }
        if ((user.IsInRole(AppRoles.ProjectManager) || user.IsInRole(AppRoles.Approver)) && resource.Project is { } project
            // Resolved here, not injected: the authorization service is built from the handlers, this one among them.
            && (await services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, project, ProjectOperations.Read)).Succeeded)
        {
            context.Succeed(requirement);
            return;
        }
        Refuse(context, "Only auditors, and project managers and approvers who may read the project, may have its reports.",
            "只有审计员以及可以查看本项目的项目经理和审批人可以获取其报告。");
    }

    private void Refuse(AuthorizationHandlerContext context, string en, string zh) =>
        context.Fail(new RuleFailureReason(this, new UnmetGuard("role", new LocalizedText(en, zh))));
}
