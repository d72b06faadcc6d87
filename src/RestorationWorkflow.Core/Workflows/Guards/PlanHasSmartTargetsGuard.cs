using RestorationWorkflow.Projects.Targets;

namespace RestorationWorkflow.Workflows.Guards;

/// <summary>A project's targets and what the rules check them against, for <see cref="PlanHasSmartTargetsGuard"/>.</summary>
public sealed record ProjectTargets(IReadOnlyList<TargetDetails> Targets, IReadOnlySet<Guid> SiteIds);

/// <summary>The kinds of guard data about restoration targets (their own class, beside the targets feature).</summary>
public static class TargetGuardData
{
    /// <summary>The project's targets and its site ids.</summary>
    public static readonly GuardDataKey<ProjectTargets> Targets = new("targets");
}

/// <summary>
/// <c>{"type": "planHasSmartTargets"}</c>: the plan has at least one complete environmental and one complete
/// socio-economic target (C3: "明确说明生态和社会经济目标"). Complete means every rule of <see cref="TargetRules"/>
/// holds now, against the project's current lifespan and sites. The reason names each kind missing and, where
/// targets of that kind exist, what keeps the first of them from being complete.
/// </summary>
public sealed class PlanHasSmartTargetsGuard : IGuard
{
    public string Type => "planHasSmartTargets";

    public GuardKind Kind => GuardKind.Condition;

    public IReadOnlyCollection<GuardDataKey> Needs { get; } = [TargetGuardData.Targets];

    public IEnumerable<GuardParameterProblem> ValidateParameters(GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return [];
    }

    public LocalizedText? Evaluate(GuardContext context, GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(guard);
        return Reason(context.Project, context.Data.Get(TargetGuardData.Targets));
    }

    /// <summary>What the plan's targets lack (null when the guard is met): also shown beside the targets on the project page.</summary>
    public static LocalizedText? Reason(Projects.Project project, ProjectTargets data)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(data);
        var facts = new TargetProjectFacts(project.StartDate, project.LifespanYears, data.SiteIds);
        var en = new List<string>();
        var zh = new List<string>();
        foreach (var (kind, label) in TargetKinds.All)
        {
            var ofKind = data.Targets.Where(t => t.Kind == kind).ToList();
            var problems = ofKind.Select(t => (Target: t, Problems: TargetRules.Check(TargetInput.From(t), facts))).ToList();
            if (problems.Any(p => p.Problems.Count == 0))
                continue;
            if (problems.Count == 0)
            {
                en.Add($"Add a complete {label.En.ToLowerInvariant()} target (indicator, baseline, action, quantity, deadline).");
                zh.Add($"请添加一个完整的{label.ZhHans}目标（指标、基线、行动、数量、时限）。");
                continue;
            }
            var (target, first) = problems[0];
            var (field, message) = first.First();
            var sentence = target.Sentence;
            en.Add($"No {label.En.ToLowerInvariant()} target is complete: \"{sentence.En}\" — {field}: {message.En}");
            zh.Add($"没有完整的{label.ZhHans}目标：“{sentence.ZhHans}”——{field}：{message.ZhHans}");
        }
        return en.Count == 0 ? null : new LocalizedText(string.Join(" ", en), string.Join("", zh));
    }
}
