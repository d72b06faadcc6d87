using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Workflows.Guards;

/// <summary>
/// <c>{"type": "consentGranted", "scope": "assessment" | "plan" | "implementation" | "current"}</c>: every IPLC
/// stakeholder of the project has a consent record covering the scope whose latest outcome is granted or
/// conditional, not withdrawn (<see cref="ConsentRules"/>); met when the project has no IPLC stakeholder.
/// <c>current</c> is the stage of the state the transition leads to — on Resume the state resumed into
/// (<see cref="ConsentScopes.OfState"/>).
/// </summary>
public sealed class ConsentGrantedGuard : IGuard
{
    public const string Current = "current";

    public string Type => "consentGranted";

    public GuardKind Kind => GuardKind.Condition;

    public IReadOnlyCollection<GuardDataKey> Needs { get; } = [PeopleGuardData.Consent];

    public IEnumerable<GuardParameterProblem> ValidateParameters(GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        var scope = ScopeOf(guard);
        if (scope != Current && !ConsentScopes.IsKnown(scope))
        {
            yield return new GuardParameterProblem("scope",
                $"consentGranted needs 'scope': one of {string.Join(", ", ConsentScopes.All.Select(s => s.Code))} or {Current}.");
        }
    }

    public LocalizedText? Evaluate(GuardContext context, GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(guard);
        var scope = ScopeOf(guard);
        if (scope == Current)
            scope = ConsentScopes.OfState(context.Transition.ToPreviousState ? context.Project.StateBeforeSuspension : context.Transition.To);
        if (scope is null)
            return null;
        var facts = context.Data.Get(PeopleGuardData.Consent);
        var missing = ConsentRules.Missing(facts.IplcStakeholders, facts.Consents, scope);
        if (missing.Count == 0)
            return null;
        var label = ConsentScopes.Label(scope);
        var names = missing.Select(s => $"{s.Name} ({s.Id})").ToList();
        return new LocalizedText(
            $"Prior and informed consent for the {label.En.ToLowerInvariant()} stage is not granted (granted or conditional, not withdrawn) by these IPLC stakeholders: {string.Join(", ", names)}.",
            $"以下土著人民和地方社区利益攸关方尚未就{label.ZhHans}阶段给予事先和知情同意（同意或有条件同意，且未撤回）：{string.Join("、", names)}。");
    }

    private static string? ScopeOf(GuardDefinition guard) =>
        guard.Parameters.TryGetValue("scope", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
}
