using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Safeguards;

/// <summary>One safeguard's answer as the review form posts it.</summary>
public sealed class AnswerForm
{
    public int Number { get; set; }

    public string? Answer { get; set; }

    public string? Note { get; set; }
}

/// <summary>
/// The safeguard review of a project: the nine safeguards with the seed's text beside each answer, the planting
/// questions and justification, the species, and the findings. Managers edit; approvers outside the team acknowledge;
/// everyone else reads.
/// </summary>
public sealed class ReviewModel(
    ProjectStore store, SafeguardReader reader, ProjectCommands commands, WorkflowCatalog catalog, IAuthorizationService authorization,
    IStringLocalizer<SharedResource> localizer) : PageModel
{
    [BindProperty]
    public List<AnswerForm> Answers { get; set; } = [];

    /// <summary>"yes", "no" or empty (not answered).</summary>
    [BindProperty]
    public string? PlansPlanting { get; set; }

    [BindProperty]
    public string? PlantingJustification { get; set; }

    [BindProperty]
    public int ExpectedVersion { get; set; }

    public Project Project { get; private set; } = null!;

    public SafeguardFacts Facts { get; private set; } = null!;

    public IReadOnlyList<SafeguardFinding> Findings { get; private set; } = [];

    public bool CanEdit { get; private set; }

    public bool CanAcknowledge { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refusal)
            return refusal;
        Fill();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var request = new SafeguardReviewRequest(
            [.. Answers.Where(a => !string.IsNullOrWhiteSpace(a.Answer)).Select(a => new SafeguardAnswerRequest(a.Number, a.Answer, a.Note))],
            PlansPlanting switch { "yes" => true, "no" => false, _ => null }, PlantingJustification, ExpectedVersion);
        var result = await commands.ExecuteAsync(new UpdateSafeguardReview(id, request), User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["The safeguard review was saved."].Value;
            return Redirect($"/Projects/{id}/Safeguards");
        }
        return await RefusedAsync(result, id, ct);
    }

    public async Task<IActionResult> OnPostAcknowledgeAsync(Guid id, string findingId, string? comment, int expectedVersion, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new AcknowledgeFinding(id, findingId, new AcknowledgementRequest(comment, expectedVersion)), User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["The finding was acknowledged."].Value;
            return Redirect($"/Projects/{id}/Safeguards#findings");
        }
        return await RefusedAsync(result, id, ct, keepInput: false);
    }

    private async Task<IActionResult> RefusedAsync(CommandResult<Project> result, Guid id, CancellationToken ct, bool keepInput = true)
    {
        if (result.Code is CommandErrorCodes.ProjectNotFound)
            return NotFound();
        result.ShowOn(this, localizer);
        var status = Response.StatusCode;
        if (await LoadAsync(id, ct) is { } refusal)
            return refusal;
        if (!keepInput)
            Fill();
        Response.StatusCode = status;
        return Page();
    }

    private void Fill()
    {
        var answers = Facts.Answers.ToDictionary(a => a.Number);
        Answers = [.. AppendixI.All.Select(s => new AnswerForm { Number = s.Number, Answer = answers.GetValueOrDefault(s.Number)?.Answer, Note = answers.GetValueOrDefault(s.Number)?.Note })];
        PlansPlanting = Facts.Review?.PlansPlantingOrAfforestation switch { true => "yes", false => "no", _ => "" };
        PlantingJustification = Facts.Review?.PlantingJustification;
    }

    /// <summary>The answer form of safeguard <paramref name="number"/> (posted values after a refusal).</summary>
    public AnswerForm FormOf(int number) => Answers.FirstOrDefault(a => a.Number == number) ?? new AnswerForm { Number = number };

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null || !(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return NotFound();
        Project = project;
        Facts = await reader.FactsAsync(project, ct);
        Findings = SafeguardRules.Findings(Facts);
        var kind = catalog.DefinitionOf(project).GetState(project.State).Kind;
        CanEdit = (await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded
            && kind is not (StateKind.Terminal or StateKind.Suspended or StateKind.Review);
        CanAcknowledge = (await authorization.AuthorizeAsync(User, project, SafeguardOperations.Acknowledge)).Succeeded
            && kind is not (StateKind.Terminal or StateKind.Suspended);
        return null;
    }
}
