using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Workflows.Guards;

/// <summary>
/// <c>{"type": "checklistComplete", "steps": ["A1", …]}</c>: each listed STAPER step is settled. A step with a
/// form (<c>workflows/forms/</c>) is settled when its form is complete and not waiting to be confirmed again
/// ("to review"); a step without one when its checklist item is done. Either is settled when marked not
/// applicable with a reason.
/// </summary>
public sealed class ChecklistCompleteGuard : IGuard
{
    public string Type => "checklistComplete";

    public GuardKind Kind => GuardKind.Condition;

    public IReadOnlyCollection<GuardDataKey> Needs { get; } = [ProjectGuardData.Checklist, ProjectGuardData.StepForms];

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
        var forms = context.Data.Has(ProjectGuardData.StepForms) ? context.Data.Get(ProjectGuardData.StepForms) : StepFormStatuses.None;
        var open = new List<string>();
        var toReview = new List<string>();
        foreach (var code in guard.GetStrings("steps"))
        {
            var item = checklist.GetValueOrDefault(code);
            if (item is { Status: ChecklistStatus.NotApplicable, IsSettled: true })
                continue;
            if (!forms.HasForm(code))
            {
                if (item is not { IsSettled: true })
                    open.Add(code);
                continue;
            }
            var status = forms.StatusOf(code);
            if (status == StepFormStatus.ToReview)
                toReview.Add(code);
            else if (status != StepFormStatus.Complete)
                open.Add(code);
        }
        if (open.Count == 0 && toReview.Count == 0)
            return null;
        var en = new List<string>();
        var zh = new List<string>();
        if (open.Count > 0)
        {
            en.Add($"Complete these steps or mark them not applicable with a reason: {string.Join(", ", open)}.");
            zh.Add($"请完成以下步骤，或注明不适用的理由：{string.Join("、", open)}。");
        }
        if (toReview.Count > 0)
        {
            en.Add($"Confirm these forms again after the feedback (to review): {string.Join(", ", toReview)}.");
            zh.Add($"反馈后请重新确认以下表单（待复核）：{string.Join("、", toReview)}。");
        }
        return new LocalizedText(string.Join(" ", en), string.Join("", zh));
    }
}
