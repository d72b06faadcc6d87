using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Evaluations;

/// <summary>Records or changes a lesson learned (D3) through the same commands as the API; the project's managers only.</summary>
public sealed class LessonModel(
    ProjectStore store, ProjectCommands commands, AppDbContext db, IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid? LessonId { get; set; }

    [BindProperty]
    public string? Topic { get; set; }

    [BindProperty]
    public string? WhatWorked { get; set; }

    [BindProperty]
    public string? WhatDidNot { get; set; }

    [BindProperty]
    public string? Recommendation { get; set; }

    [BindProperty]
    public int ExpectedVersion { get; set; }

    public Project Project { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refusal)
            return refusal;
        if (LessonId is { } lessonId)
        {
            var lesson = await db.Lessons.AsNoTracking().FirstOrDefaultAsync(l => l.ProjectId == id && l.Id == lessonId, ct);
            if (lesson is null)
                return NotFound();
            (Topic, WhatWorked, WhatDidNot, Recommendation) = (lesson.Topic, lesson.WhatWorked, lesson.WhatDidNot, lesson.Recommendation);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var request = new LessonRequest(Empty(Topic), Empty(WhatWorked), Empty(WhatDidNot), Empty(Recommendation), ExpectedVersion);
        ProjectCommand command = LessonId is { } lessonId ? new UpdateLesson(id, lessonId, request) : new AddLesson(id, request);
        return await AfterAsync(id, await commands.ExecuteAsync(command, User, ct), ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (LessonId is not { } lessonId)
            return NotFound();
        return await AfterAsync(id, await commands.ExecuteAsync(new RemoveLesson(id, lessonId, ExpectedVersion), User, ct), ct);
    }

    private async Task<IActionResult> AfterAsync(Guid id, CommandResult<Project> result, CancellationToken ct)
    {
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["The lesson is saved."].Value;
            return Redirect($"/Projects/{id}#evaluation");
        }
        if (result.Status == CommandStatus.NotFound)
            return NotFound();
        if (result.Status == CommandStatus.Forbidden)
            return Forbid();
        result.ShowOn(this, localizer);
        var status = Response.StatusCode;
        if (await LoadAsync(id, ct) is { } refusal)
            return refusal;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null)
            return NotFound();
        if (!(await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded)
            return Forbid();
        Project = project;
        ExpectedVersion = project.Version;
        return null;
    }

    private static string? Empty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
