using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Workflows.Guards;

/// <summary>
/// <c>{"type": "participationRecorded", "steps": ["A2", "A3"]}</c>: at least one participation event whose step
/// code is in the list counted its attendance by gender (the seed: full and effective participation, gender balance).
/// </summary>
public sealed class ParticipationRecordedGuard : IGuard
{
    public string Type => "participationRecorded";

    public GuardKind Kind => GuardKind.Condition;

    public IReadOnlyCollection<GuardDataKey> Needs { get; } = [PeopleGuardData.Participation];

    public IEnumerable<GuardParameterProblem> ValidateParameters(GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        var steps = guard.GetStrings("steps");
        if (steps.Count == 0)
            yield return new GuardParameterProblem("steps", "participationRecorded needs a non-empty list of STAPER step codes in 'steps'.");
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
        var steps = guard.GetStrings("steps");
        var facts = context.Data.Get(PeopleGuardData.Participation);
        if (steps.Any(facts.StepsWithGenderCounts.Contains))
            return null;
        return new LocalizedText(
            $"Record at least one participation event for {string.Join(" or ", steps)} with its attendance counted by gender (women, men, other or undisclosed).",
            $"请为 {string.Join("或", steps)} 记录至少一次参与活动，并按性别（女性、男性、其他或未说明）统计出席人数。");
    }
}
