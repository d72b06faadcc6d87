using RestorationWorkflow.Identity;

namespace RestorationWorkflow.Workflows.Guards;

/// <summary>
/// <c>{"type": "roleMember", "exempt": ["Administrator"]}</c>: the caller manages this project (is one of
/// its project managers), unless they hold one of the exempt roles. Unmet means 403, not 422.
/// </summary>
public sealed class RoleMemberGuard : IGuard
{
    public string Type => "roleMember";

    public GuardKind Kind => GuardKind.Authorization;

    public IEnumerable<GuardParameterProblem> ValidateParameters(GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        var exempt = guard.GetStrings("exempt");
        for (var i = 0; i < exempt.Count; i++)
        {
            if (!AppRoles.IsKnown(exempt[i]))
                yield return new GuardParameterProblem($"exempt[{i}]", $"'{exempt[i]}' is not a role; known: {string.Join(", ", AppRoles.All)}.");
        }
    }

    public LocalizedText? Evaluate(GuardContext context, GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(guard);
        if (context.Project.IsManagedBy(context.Caller.UserId))
            return null;
        if (guard.GetStrings("exempt").Any(context.Caller.IsInRole))
            return null;
        return new LocalizedText(
            "Only a manager of this project may do this.",
            "只有本项目的项目经理可以执行此操作。");
    }
}
