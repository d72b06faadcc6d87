using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Workflows.Guards;

/// <summary>
/// For the <c>checklistComplete</c> guard: which codes of the project's definition have a form, and each form's
/// status (a code with a form and no saved values is <see cref="StepFormStatus.Empty"/>).
/// </summary>
public sealed record StepFormStatuses(IReadOnlySet<string> FormCodes, IReadOnlyDictionary<string, StepFormStatus> Statuses)
{
    public static StepFormStatuses None { get; } = new(new HashSet<string>(), new Dictionary<string, StepFormStatus>());

    public bool HasForm(string code) => FormCodes.Contains(code);

    public StepFormStatus StatusOf(string code) => Statuses.GetValueOrDefault(code, StepFormStatus.Empty);
}
