using RestorationWorkflow.Projects.Safeguards;

namespace RestorationWorkflow.Workflows.Guards;

/// <summary>The guard data of the safeguard review (kept apart from <see cref="ProjectGuardData"/>).</summary>
public static class SafeguardGuardData
{
    /// <summary>The project's safeguard findings, derived from its current data.</summary>
    public static readonly GuardDataKey<IReadOnlyList<SafeguardFinding>> Findings = new("safeguardFindings");
}

/// <summary>
/// <c>{"type": "safeguardsCleared"}</c>: no blocking safeguard finding is open (Appendix I). The reason names each
/// open blocking finding with its safeguard, so the team knows what to justify or answer.
/// </summary>
public sealed class SafeguardsClearedGuard : IGuard
{
    public string Type => "safeguardsCleared";

    public GuardKind Kind => GuardKind.Condition;

    public IReadOnlyCollection<GuardDataKey> Needs { get; } = [SafeguardGuardData.Findings];

    public IEnumerable<GuardParameterProblem> ValidateParameters(GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return guard.Parameters.Keys.Select(name => new GuardParameterProblem(name, $"safeguardsCleared takes no parameters; remove '{name}'."));
    }

    public LocalizedText? Evaluate(GuardContext context, GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(context);
        var blocking = context.Data.Get(SafeguardGuardData.Findings).Where(f => f.Blocks).ToList();
        if (blocking.Count == 0)
            return null;
        return new LocalizedText(
            $"Settle the blocking safeguard findings first: {string.Join(" ", blocking.Select(f => $"[{f.Id}, safeguard {f.Safeguard}: {AppendixI.Get(f.Safeguard).Title.En}] {f.Message.En}{Pending(f).En}"))}",
            $"请先处理阻止提交的保障措施审查结果：{string.Join("", blocking.Select(f => $"【{f.Id}，保障措施 {f.Safeguard}：{AppendixI.Get(f.Safeguard).Title.ZhHans}】{f.Message.ZhHans}{Pending(f).ZhHans}"))}");
    }

    private static LocalizedText Pending(SafeguardFinding finding) => finding.Status == FindingStatus.Justified && finding.NeedsAcknowledgement
        ? new(" The justification is recorded and waits for an approver's acknowledgement.", "理由已记录，正等待审批人确认。")
        : new("", "");
}
