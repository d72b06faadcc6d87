using System.Globalization;
using RestorationWorkflow.Identity;

namespace RestorationWorkflow.Workflows;

/// <summary>
/// A gate whose quorum is larger than the number of active users who may decide it: no request of that gate can
/// pass until more users hold one of its approver roles. A warning, not a definition error: users are added after
/// the definitions are loaded (decision 0026).
/// </summary>
public sealed record GateStaffingWarning(
    string WorkflowId,
    int WorkflowVersion,
    string Gate,
    int Quorum,
    IReadOnlyList<string> ApproverRoles,
    int Approvers,
    LocalizedText Message)
{
    /// <summary>For logs: <c>staper-restoration@3: Gate plan needs …</c>.</summary>
    public override string ToString() => $"{WorkflowId}@{WorkflowVersion.ToString(CultureInfo.InvariantCulture)}: {Message.En}";
}

/// <summary>Compares each gate's quorum with the active users holding one of its approver roles.</summary>
public static class GateStaffing
{
    /// <summary>
    /// One warning per gate of <paramref name="definitions"/> whose quorum exceeds the number of distinct users in
    /// <paramref name="activeUserRoles"/> (user id, role) holding one of its approver roles.
    /// </summary>
    public static IReadOnlyList<GateStaffingWarning> Check(IEnumerable<WorkflowDefinition> definitions, IEnumerable<(string UserId, string Role)> activeUserRoles)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(activeUserRoles);
        var usersByRole = activeUserRoles.ToLookup(r => r.Role, r => r.UserId, StringComparer.Ordinal);
        var warnings = new List<GateStaffingWarning>();
        foreach (var definition in definitions)
        {
            foreach (var gate in definition.Gates)
            {
                var approvers = gate.ApproverRoles.SelectMany(role => usersByRole[role]).Distinct(StringComparer.Ordinal).Count();
                if (approvers < gate.Quorum)
                    warnings.Add(new GateStaffingWarning(definition.Id, definition.Version, gate.Id, gate.Quorum, gate.ApproverRoles, approvers, Describe(gate, approvers)));
            }
        }
        return warnings;
    }

    /// <summary>"Gate plan needs 2 distinct approvers but only 1 user holds the role Approver; …" in both languages.</summary>
    public static LocalizedText Describe(GateDefinition gate, int approvers)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var q = gate.Quorum.ToString(CultureInfo.InvariantCulture);
        var n = approvers.ToString(CultureInfo.InvariantCulture);
        var roles = string.Join(", ", gate.ApproverRoles);
        var rolesZh = string.Join("、", gate.ApproverRoles.Select(r => $"{RoleZhHans(r)}（{r}）"));

        var needs = gate.Quorum == 1 ? "1 approver" : $"{q} distinct approvers";
        var needsZh = gate.Quorum == 1 ? "1 名审批人" : $"{q} 名不同的审批人";
        var role = gate.ApproverRoles.Count == 1 ? $"the role {roles}" : $"one of the roles {roles}";
        var holders = approvers switch
        {
            0 => $"no user holds {role}",
            1 => $"only 1 user holds {role}",
            _ => $"only {n} users hold {role}",
        };
        var en = $"Gate {gate.Id} needs {needs} but {holders}.";
        var zh = approvers == 0
            ? $"审批关口 {gate.Id} 需要 {needsZh}，但没有用户具有角色{rolesZh}。"
            : $"审批关口 {gate.Id} 需要 {needsZh}，但只有 {n} 名用户具有角色{rolesZh}。";
        if (gate.SeparationOfDuties)
        {
            en += $" The submitter and the members of the project team are excluded when deciding, so each project needs {needs} from outside its team.";
            zh += $"作出决定时提交人和项目团队成员均被排除，因此每个项目需要 {q} 名团队以外的审批人。";
        }
        return new LocalizedText(en, zh);
    }

    private static string RoleZhHans(string role) => role switch
    {
        AppRoles.ProjectManager => "项目经理",
        AppRoles.Approver => "审批人",
        AppRoles.Auditor => "审计员",
        AppRoles.Administrator => "管理员",
        _ => role,
    };
}
