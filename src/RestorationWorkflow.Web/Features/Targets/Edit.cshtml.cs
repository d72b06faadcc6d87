using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Features.Sites;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Targets;

/// <summary>Adds or edits one restoration target through the same commands as the API; each broken rule shows next to its field.</summary>
public sealed class EditModel(
    ProjectStore store, TargetReader targets, SiteReader sites, ProjectCommands commands, IAuthorizationService authorization,
    IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>The command's field names (<c>baseline.value</c>) as this page's properties, where they differ.</summary>
    private static readonly Dictionary<string, string> FieldOfError = new(StringComparer.Ordinal)
    {
        ["Baseline"] = nameof(BaselineValue),
        ["Baseline.value"] = nameof(BaselineValue),
        ["Baseline.date"] = nameof(BaselineDate),
        ["Baseline.source"] = nameof(BaselineSource),
    };

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Indicator { get; set; }

    [BindProperty]
    public string? CustomIndicator { get; set; }

    [BindProperty]
    public string? Unit { get; set; }

    [BindProperty]
    public decimal? BaselineValue { get; set; }

    [BindProperty]
    public DateOnly? BaselineDate { get; set; }

    [BindProperty]
    public string? BaselineSource { get; set; }

    [BindProperty]
    public string? Action { get; set; }

    [BindProperty]
    public decimal? Quantity { get; set; }

    [BindProperty]
    public bool QuantityIsPercent { get; set; }

    [BindProperty]
    public DateOnly? Deadline { get; set; }

    [BindProperty]
    public int? MonitoringFrequencyMonths { get; set; }

    [BindProperty]
    public List<Guid> SiteIds { get; set; } = [];

    [BindProperty]
    public int ExpectedVersion { get; set; }

    public Project Project { get; private set; } = null!;

    public Guid? TargetId { get; private set; }

    public IReadOnlyList<SiteView> Sites { get; private set; } = [];

    /// <summary>The baseline source the project's A6 form records, used when the field is left empty.</summary>
    public string? A6BaselineSource { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid? targetId, CancellationToken ct)
    {
        if (await LoadAsync(id, targetId, ct) is { } refusal)
            return refusal;
        if (targetId is { } wanted)
        {
            var target = (await targets.ListAsync(Project, ct)).FirstOrDefault(v => v.Target.Id == wanted)?.Target;
            if (target is null)
                return NotFound();
            (Kind, Indicator, CustomIndicator, Unit) = (target.Kind, target.Indicator, target.CustomIndicator, target.Unit);
            (BaselineValue, BaselineDate, BaselineSource) = (target.BaselineValue, target.BaselineDate, target.BaselineSource);
            (Action, Quantity, QuantityIsPercent, Deadline) = (target.Action, target.Quantity, target.QuantityIsPercent, target.Deadline);
            MonitoringFrequencyMonths = target.MonitoringFrequencyMonths;
            SiteIds = [.. target.SiteIds];
        }
        else
        {
            Kind = TargetKinds.Environmental;
            Action = TargetActions.Increase;
            MonitoringFrequencyMonths = 12;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid? targetId, CancellationToken ct)
    {
        // A number or date the browser could not send is reported by the binder under its property.
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await ReloadAsync(id, targetId, ct);
        }
        var input = new TargetInput(Kind, Indicator, Empty(CustomIndicator), Empty(Unit), new TargetBaselineInput(BaselineValue, BaselineDate, Empty(BaselineSource)),
            Action, Quantity, QuantityIsPercent, Deadline, MonitoringFrequencyMonths, SiteIds);
        TargetCommand command = targetId is { } existing ? new UpdateTarget(id, existing, input, ExpectedVersion) : new AddTarget(id, input, ExpectedVersion);
        var result = await commands.ExecuteAsync(command, User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["The target is saved."].Value;
            return Redirect($"/Projects/{id}#targets");
        }
        return await RefusedAsync(result, id, targetId, ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, Guid targetId, int expectedVersion, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new RemoveTarget(id, targetId, expectedVersion), User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["The target was deleted."].Value;
            return Redirect($"/Projects/{id}#targets");
        }
        return await RefusedAsync(result, id, targetId, ct);
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private async Task<IActionResult> RefusedAsync(CommandResult<Project> result, Guid id, Guid? targetId, CancellationToken ct)
    {
        if (result.Code is CommandErrorCodes.ProjectNotFound or TargetCommand.TargetNotFound)
            return NotFound();
        result.ShowOn(this, localizer);
        foreach (var (from, to) in FieldOfError)
        {
            if (ModelState.TryGetValue(from, out var entry))
            {
                foreach (var error in entry.Errors)
                    ModelState.AddModelError(to, error.ErrorMessage);
                ModelState.Remove(from);
            }
        }
        var status = Response.StatusCode;
        var page = await ReloadAsync(id, targetId, ct);
        Response.StatusCode = status;
        return page;
    }

    private async Task<IActionResult> ReloadAsync(Guid id, Guid? targetId, CancellationToken ct) =>
        await LoadAsync(id, targetId, ct) ?? Page();

    /// <summary>Loads the project (the caller must be allowed to edit it) and its sites; null to go on, else the refusal.</summary>
    private async Task<IActionResult?> LoadAsync(Guid id, Guid? targetId, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null)
            return NotFound();
        if (!(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return NotFound();
        if (!(await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded)
            return Forbid();
        Project = project;
        TargetId = targetId;
        Sites = await sites.ListAsync(project, ct);
        A6BaselineSource = (await targets.FactsAsync(project, ct)).A6BaselineSource;
        return null;
    }
}
