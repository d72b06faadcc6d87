using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Workflows.Guards;

/// <summary>
/// <c>{"type": "checklistComplete", "steps": ["A1", …]}</c>: each listed STAPER step is done, or not
/// applicable with a reason.
/// </summary>
public sealed class ChecklistCompleteGuard : IGuard
{
    public string Type => "checklistComplete";

    public GuardKind Kind => GuardKind.Condition;

    public IReadOnlyCollection<GuardDataKey> Needs { get; } = [ProjectGuardData.Checklist];

    public IEnumerable<GuardParameterProblem> ValidateParameters(GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        var steps = guard.GetStrings("steps");
        if (steps.Count == 0)
            yield return new GuardParameterProblem("steps", "checklistComplete needs a non-empty list of STAPER step codes in 'steps'.");
        for (var i = 0; i < steps.Count; i++)
        {
            if (!StaperSteps.IsKnown(steps[i]))
                yield return new GuardParameterProblem($"steps[{i}]", $"'{steps[i]}' is not a STAPER step code (A1…A6, B1…B9, C1…C5, D1…D3).");
        }
    }

    public LocalizedText? Evaluate(GuardContext context, GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(guard);
        var checklist = context.Data.Get(ProjectGuardData.Checklist);
        var open = guard.GetStrings("steps")
            .Where(code => checklist.GetValueOrDefault(code) is not { IsSettled: true })
            .ToList();
        if (open.Count == 0)
            return null;
        var list = string.Join(", ", open);
        return new LocalizedText(
            $"Complete these steps or mark them not applicable with a reason: {list}.",
            $"请完成以下步骤，或注明不适用的理由：{string.Join("、", open)}。");
    }
}
