namespace RestorationWorkflow.Workflows;

/// <summary>
/// The adaptive-management decisions of D2 (adjust plans, expectations, procedures and monitoring from the results and
/// lessons; keep going after the project ends). A workflow definition names, on each transition that carries one out,
/// the decision it stands for (<c>"adaptiveDecision": "revisePlan"</c>); the loader checks that a state offering
/// decisions offers every one of them, once.
/// </summary>
public static class AdaptiveDecisions
{
    public const string ContinueMonitoring = "continueMonitoring";
    public const string AdjustImplementation = "adjustImplementation";
    public const string RevisePlan = "revisePlan";
    public const string RevisitEnablingEnvironment = "revisitEnablingEnvironment";
    public const string Reassess = "reassess";
    public const string Close = "close";

    public static readonly IReadOnlyList<string> All = [ContinueMonitoring, AdjustImplementation, RevisePlan, RevisitEnablingEnvironment, Reassess, Close];

    public static bool IsKnown(string? decision) => decision is not null && All.Contains(decision, StringComparer.Ordinal);

    /// <summary>The decision's name in both languages.</summary>
    public static LocalizedText Label(string decision) => decision switch
    {
        ContinueMonitoring => new("Continue monitoring", "继续监测"),
        AdjustImplementation => new("Adjust implementation", "调整实施"),
        RevisePlan => new("Revise the plan", "修订计划"),
        RevisitEnablingEnvironment => new("Revisit the enabling environment", "重新审视有利环境"),
        Reassess => new("Reassess", "重新评估"),
        Close => new("Close the project", "结束项目"),
        _ => new(decision, decision),
    };

    /// <summary>
    /// The kind of transition each decision must be: closing moves the project forward (to the evaluation gate),
    /// every other decision feeds back into an earlier step.
    /// </summary>
    public static string ExpectedKind(string decision) => decision == Close ? "advance" : "feedback";
}
