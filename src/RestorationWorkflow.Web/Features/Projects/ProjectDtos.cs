using System.Globalization;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>
/// A new project's registry fields. Name, country and area are required; a missing <c>code</c> is generated
/// (<c>{country}-{year}-{seq}</c>); the other fields may be filled in later (<c>PUT /api/projects/{id}</c>).
/// </summary>
public sealed record CreateProjectRequest(
    string? Name, string? Description, string? Country, IReadOnlyList<string>? EcosystemTypes, decimal? AreaHectares,
    string? Code = null, string? Region = null, string? Scale = null, bool? NaturallyLowTreeCover = null, string? Situation = null,
    DateOnly? StartDate = null, int? LifespanYears = null, decimal? Budget = null, string? Currency = null, string? LeadOrganisation = null);

/// <summary>
/// Every registry field of a project, replacing what is stored (a field left out is cleared), with the version the
/// caller saw. The code is required here: it exists once the project does.
/// </summary>
public sealed record UpdateProjectRequest(
    string? Name, string? Description, string? Country, IReadOnlyList<string>? EcosystemTypes, decimal? AreaHectares,
    string? Code, string? Region, string? Scale, bool? NaturallyLowTreeCover, string? Situation,
    DateOnly? StartDate, int? LifespanYears, decimal? Budget, string? Currency, string? LeadOrganisation, int? ExpectedVersion)
{
    public CreateProjectRequest ToFields() => new(
        Name, Description, Country, EcosystemTypes, AreaHectares, Code, Region, Scale, NaturallyLowTreeCover, Situation,
        StartDate, LifespanYears, Budget, Currency, LeadOrganisation);
}

/// <summary>Adds a person to the team as <c>manager</c> (the default) or <c>member</c>.</summary>
public sealed record AddTeamMemberRequest(string? Email, string? Role, int? ExpectedVersion);

public sealed record UpdateChecklistRequest(string? Status, string? Note, int? ExpectedVersion);

public sealed record FireTransitionRequest(string? Trigger, string? Comment, int? ExpectedVersion);

public sealed record AddMemberRequest(string? Email, int? ExpectedVersion);

public sealed record WorkflowRef(string Id, int Version);

public sealed record PersonDto(string Id, string DisplayName);

/// <summary>A person on the team: <c>role</c> is <c>manager</c> or <c>member</c>.</summary>
public sealed record TeamMemberDto(string Id, string DisplayName, string Role);

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
    IReadOnlyList<PersonDto> Managers,
    string Code,
    string Region,
    string? Scale,
    bool NaturallyLowTreeCover,
    string? Situation,
    DateOnly? StartDate,
    int? LifespanYears,
    decimal? Budget,
    string? Currency,
    string LeadOrganisation,
    IReadOnlyList<TeamMemberDto> Team);

public sealed record ProjectListItem(
    Guid Id, string Name, string Country, string State, string StateLabel, string Group, int Version, WorkflowRef Workflow, DateTimeOffset UpdatedAt,
    string Code, string? Situation, IReadOnlyList<string> EcosystemTypes);

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>One checklist step; <c>FormStatus</c> (empty, inProgress, complete, toReview) for a step with a form, which settles it; null otherwise.</summary>
public sealed record ChecklistItemDto(string Code, string Group, string Label, string Status, string? Note, string? UpdatedBy, DateTimeOffset? UpdatedAt, string? FormStatus = null);

public sealed record ChecklistDto(Guid ProjectId, int Version, IReadOnlyList<ChecklistItemDto> Items);

public sealed record UnmetDto(string Guard, string Message);

public sealed record TransitionDto(string Trigger, string? To, string Label, string Kind, bool Allowed, bool RequiresComment, IReadOnlyList<UnmetDto> Unmet);

public sealed record TransitionsDto(Guid ProjectId, string State, int Version, IReadOnlyList<TransitionDto> Transitions);

/// <summary>
/// A fired transition: the project's new state and version, and what the transition created beside it
/// (<c>created</c>: the approval request a submission to a review opened; empty otherwise).
/// </summary>
public sealed record TransitionResultDto(Guid Id, string State, int Version, IReadOnlyList<CreatedResource> Created);

public sealed record ProjectCreatedDto(Guid Id, string Name, string State, int Version, WorkflowRef Workflow);

public sealed record ChecklistItemChangeDto(string Code, string Status, string? Note, DateTimeOffset? UpdatedAt);

public sealed record ChecklistItemUpdatedDto(Guid ProjectId, int Version, ChecklistItemChangeDto Item);

internal static class ProjectMapping
{
    public static string Role(ProjectMemberRole role) => role == ProjectMemberRole.Member ? "member" : "manager";

    public static ProjectMemberRole? ParseRole(string? value) => value switch
    {
        null or "manager" => ProjectMemberRole.Manager,
        "member" => ProjectMemberRole.Member,
        _ => null,
    };

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
