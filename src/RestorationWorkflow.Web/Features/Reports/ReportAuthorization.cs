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

/// <summary>The resource: a project report of <see cref="Project"/>, or the portfolio.</summary>
public sealed record ReportTarget(ReportScope Scope, Project? Project);

/// <summary>
/// Auditors: every report. Project managers and approvers: reports of the projects they may read (the project read rule,
/// <see cref="ProjectOperations.Read"/>, asked rather than copied). Portfolio reports: approvers, auditors, administrators
/// and project managers. Anyone else: refused, naming the rule.
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
            if (ReportPolicies.PortfolioReportRoles.Any(user.IsInRole))
                context.Succeed(requirement);
            else
                Refuse(context, "Only approvers, auditors, administrators and project managers may have portfolio reports.", "只有审批人、审计员、管理员和项目经理可以获取组合报告。");
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
