using System.Globalization;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

public sealed record CreateProjectRequest(string? Name, string? Description, string? Country, IReadOnlyList<string>? EcosystemTypes, decimal? AreaHectares);

public sealed record UpdateChecklistRequest(string? Status, string? Note, int? ExpectedVersion);

public sealed record FireTransitionRequest(string? Trigger, string? Comment, int? ExpectedVersion);

public sealed record AddMemberRequest(string? Email, int? ExpectedVersion);

public sealed record WorkflowRef(string Id, int Version);

public sealed record PersonDto(string Id, string DisplayName);

public sealed record ProjectDto(
    Guid Id,
    string Name,
    string Description,
    string Country,
    IReadOnlyList<string> EcosystemTypes,
    decimal AreaHectares,
    string State,
    string StateLabel,
    string Group,
    string? StateBeforeSuspension,
    int Version,
    WorkflowRef Workflow,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<PersonDto> Managers);

public sealed record ProjectListItem(Guid Id, string Name, string Country, string State, string StateLabel, string Group, int Version, WorkflowRef Workflow, DateTimeOffset UpdatedAt);

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>One checklist step; <c>FormStatus</c> (empty, inProgress, complete, toReview) for a step with a form, which settles it; null otherwise.</summary>
public sealed record ChecklistItemDto(string Code, string Group, string Label, string Status, string? Note, string? UpdatedBy, DateTimeOffset? UpdatedAt, string? FormStatus = null);

public sealed record ChecklistDto(Guid ProjectId, int Version, IReadOnlyList<ChecklistItemDto> Items);

public sealed record UnmetDto(string Guard, string Message);

public sealed record TransitionDto(string Trigger, string? To, string Label, string Kind, bool Allowed, bool RequiresComment, IReadOnlyList<UnmetDto> Unmet);

public sealed record TransitionsDto(Guid ProjectId, string State, int Version, IReadOnlyList<TransitionDto> Transitions);

public sealed record TransitionResultDto(Guid Id, string State, int Version);

public sealed record ProjectCreatedDto(Guid Id, string Name, string State, int Version, WorkflowRef Workflow);

public sealed record ChecklistItemChangeDto(string Code, string Status, string? Note, DateTimeOffset? UpdatedAt);

public sealed record ChecklistItemUpdatedDto(Guid ProjectId, int Version, ChecklistItemChangeDto Item);

internal static class ProjectMapping
{
    public static string Status(ChecklistStatus status) => status switch
    {
        ChecklistStatus.Open => "open",
        ChecklistStatus.Done => "done",
        ChecklistStatus.NotApplicable => "notApplicable",
        _ => status.ToString(),
    };

    public static string FormStatus(StepFormStatus status) => status switch
    {
        StepFormStatus.Empty => "empty",
        StepFormStatus.InProgress => "inProgress",
        StepFormStatus.Complete => "complete",
        StepFormStatus.ToReview => "toReview",
        _ => status.ToString(),
    };

    public static ChecklistStatus? ParseStatus(string? value) => value switch
    {
        "open" => ChecklistStatus.Open,
        "done" => ChecklistStatus.Done,
        "notApplicable" => ChecklistStatus.NotApplicable,
        _ => null,
    };

    public static ChecklistItemDto ToDto(ChecklistItem item, IReadOnlyDictionary<string, string> names)
    {
        var step = StaperSteps.Get(item.Code);
        return new ChecklistItemDto(item.Code, step.Group, step.Label.For(CultureInfo.CurrentUICulture), Status(item.Status), item.Note,
            item.UpdatedById is null ? null : names.GetValueOrDefault(item.UpdatedById, item.UpdatedById), item.UpdatedAt);
    }

    public static TransitionDto ToDto(TransitionEvaluation e)
    {
        var culture = CultureInfo.CurrentUICulture;
        return new TransitionDto(e.Transition.Trigger, e.To, e.Transition.Label.For(culture), e.Transition.Kind, e.Allowed, e.Transition.RequiresComment,
            [.. e.AllReasons.Select(r => new UnmetDto(r.Guard, r.Message.For(culture)))]);
    }
}
