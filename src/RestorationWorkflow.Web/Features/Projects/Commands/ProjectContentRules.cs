using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>
/// When a project's content may change: the one rule the checklist, the registry, step forms, sites and evidence
/// share. Nothing changes in a closed, cancelled or suspended project (422 <c>state</c>), and what a review covers is
/// frozen while the project is under review (422 <c>underReview</c>).
/// </summary>
public static class ProjectContentRules
{
    /// <summary>The 422 when the project's state freezes its content, else null.</summary>
    /// <param name="definition">The project's workflow definition.</param>
    /// <param name="project">The project.</param>
    /// <param name="cannotChange">What cannot change, as the end of a sentence: "its sites cannot change" / "地块不能更改".</param>
    public static CommandResult<Project>? Frozen(WorkflowDefinition definition, Project project, LocalizedText cannotChange)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(cannotChange);
        var state = definition.GetState(project.State);
        var label = state.Label;
        LocalizedText? message = state.Kind switch
        {
            StateKind.Terminal or StateKind.Suspended => new(
                $"The project is {label.En}; {cannotChange.En}.", $"项目处于“{label.ZhHans}”状态，{cannotChange.ZhHans}。"),
            StateKind.Review => new(
                $"The project is under review ({label.En}); what the review covers is frozen until it is decided.",
                $"项目正在审核中（{label.ZhHans}）；审核结束前，审核涉及的内容不能更改。"),
            _ => null,
        };
        return message is null
            ? null
            : CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard(state.Kind == StateKind.Review ? "underReview" : "state", message)]);
    }
}
