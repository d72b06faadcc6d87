using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Reminders.Due;

/// <summary>
/// Records a monitoring review through the same command as the API (the project page's form posts here); a refusal
/// shows here next to its fields. Managers of the project only; anyone else is sent to the access-denied page.
/// </summary>
public sealed class ReviewModel(
    ProjectStore store, ProjectCommands commands, ScheduleReader schedule, IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer)
    : PageModel
{
    [BindProperty]
    public Guid? TargetId { get; set; }

    [BindProperty]
    public DateOnly? ReviewedOn { get; set; }

    [BindProperty]
    public string? Summary { get; set; }

    [BindProperty]
    public int ExpectedVersion { get; set; }

    public Project Project { get; private set; } = null!;

    public ScheduleDto Schedule { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, Guid? targetId, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refusal)
            return refusal;
        TargetId = targetId;
        ReviewedOn = Schedule.Today;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await LoadAsync(id, ct) ?? Page();
        }
        var command = new RecordMonitoringReview(id, new RecordMonitoringReviewRequest(TargetId, ReviewedOn, Summary, ExpectedVersion), schedule.Today);
        var result = await commands.ExecuteAsync(command, User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["The monitoring review is recorded."].Value;
            return Redirect($"/Projects/{id}#schedule");
        }
        if (result.Code == CommandErrorCodes.ProjectNotFound)
            return NotFound();
        if (result.Status == CommandStatus.Forbidden)
            return Forbid();
        result.ShowOn(this, localizer);
        var status = Response.StatusCode;
        var page = await LoadAsync(id, ct) ?? Page();
        Response.StatusCode = status;
        return page;
    }

    /// <summary>Loads the project and its schedule: 404 for a project the caller cannot read, access denied unless they manage it.</summary>
    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null || !(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return NotFound();
        if (!(await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded)
            return Forbid();
        Project = project;
        Schedule = await schedule.ReadAsync(project, ct);
        return null;
    }
}
