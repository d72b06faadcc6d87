using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Identity;

/// <summary>Who is asking: the signed-in user and their roles.</summary>
public sealed record Caller(string UserId, string DisplayName, IReadOnlySet<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);
}

/// <summary>The names of the roles of <see cref="AppRoles"/> as people read them, in both languages.</summary>
public static class RoleNames
{
    public static string ZhHans(string role) => role switch
    {
        AppRoles.ProjectManager => "项目经理",
        AppRoles.Approver => "审批人",
        AppRoles.Auditor => "审计员",
        AppRoles.Administrator => "管理员",
        _ => role,
    };

    public static LocalizedText Label(string role) => new(role switch
    {
        AppRoles.ProjectManager => "Project manager",
        AppRoles.Approver => "Approver",
        AppRoles.Auditor => "Auditor",
        AppRoles.Administrator => "Administrator",
        _ => role,
    }, ZhHans(role));
}
