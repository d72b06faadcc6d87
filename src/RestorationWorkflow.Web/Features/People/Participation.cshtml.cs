using RestorationWorkflow.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Web.Features.Projects;

namespace RestorationWorkflow.Web.Features.People;

/// <summary>Records or edits one participation event (managers of the project).</summary>
public sealed class ParticipationModel(
    ProjectStore store, ProjectCommands commands, PeopleReader people, IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer, AppDbContext db)
    : PeoplePageBase(store, commands, authorization, localizer, db)
{
    [BindProperty]
    public DateOnly? Date { get; set; }

    [BindProperty]
    public string? StepCode { get; set; }

    [BindProperty]
    public string? Method { get; set; }

    [BindProperty]
    public string? Purpose { get; set; }

    [BindProperty]
    public int? Women { get; set; }

    [BindProperty]
    public int? Men { get; set; }

    [BindProperty]
    public int? OtherGender { get; set; }

    [BindProperty]
    public int? IplcMembers { get; set; }

    [BindProperty]
    public int? NonIplcMembers { get; set; }

    [BindProperty]
    public string? Outcome { get; set; }

    [BindProperty]
    public Guid? EvidenceFileId { get; set; }

    public Guid? ItemId { get; private set; }

    /// <summary>The event being edited, loaded once by <see cref="LoadAsync"/>; null when recording a new one.</summary>
    private RestorationWorkflow.Projects.ParticipationEvent? _current;

    public async Task<IActionResult> OnGetAsync(Guid id, Guid? itemId, CancellationToken ct)
    {
        if (await LoadAsync(id, itemId, ct) is { } refusal)
            return refusal;
        if (_current is { } e)
        {
            (Date, StepCode, Method, Purpose, Women, Men, OtherGender) = (e.Date, e.StepCode, e.Method, e.Purpose, e.Women, e.Men, e.OtherGender);
            (IplcMembers, NonIplcMembers, Outcome, EvidenceFileId) = (e.IplcMembers, e.NonIplcMembers, e.Outcome, e.EvidenceFileId);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid? itemId, CancellationToken ct)
    {
        var request = new ParticipationRequest(Date, StepCode, Method, Purpose, Women, Men, OtherGender, IplcMembers, NonIplcMembers, Outcome, EvidenceFileId, ExpectedVersion);
        ParticipationCommand command = itemId is { } existing ? new UpdateParticipation(id, existing, request) : new AddParticipation(id, request);
        var result = await Commands.ExecuteAsync(command, User, ct);
        return await AfterAsync(result, id, Localizer["Participation event saved."].Value, () => ReloadAsync(id, itemId, ct));
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, Guid itemId, int expectedVersion, CancellationToken ct)
    {
        var result = await Commands.ExecuteAsync(new RemoveParticipation(id, itemId, expectedVersion), User, ct);
        return await AfterAsync(result, id, Localizer["The participation event was removed."].Value, () => ReloadAsync(id, itemId, ct));
    }

    private async Task<IActionResult> ReloadAsync(Guid id, Guid? itemId, CancellationToken ct) => await LoadAsync(id, itemId, ct) ?? Page();

    private async Task<IActionResult?> LoadAsync(Guid id, Guid? itemId, CancellationToken ct)
    {
        if (await LoadProjectAsync(id, ct) is { } refusal)
            return refusal;
        ItemId = itemId;
        if (itemId is { } existing && (_current = await people.FindParticipationAsync(id, existing, ct)) is null)
            return NotFound();
        return null;
    }
}
