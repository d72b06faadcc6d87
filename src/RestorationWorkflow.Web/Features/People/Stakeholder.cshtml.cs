using RestorationWorkflow.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Web.Features.Projects;

namespace RestorationWorkflow.Web.Features.People;

/// <summary>Adds or edits one stakeholder (managers of the project).</summary>
public sealed class StakeholderModel(
    ProjectStore store, ProjectCommands commands, PeopleReader people, IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer, AppDbContext db)
    : PeoplePageBase(store, commands, authorization, localizer, db)
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Group { get; set; }

    [BindProperty]
    public bool IsIplc { get; set; }

    [BindProperty]
    public string? Contact { get; set; }

    public Guid? ItemId { get; private set; }

    /// <summary>The stakeholder being edited, loaded once by <see cref="LoadAsync"/>; null when adding one.</summary>
    private RestorationWorkflow.Projects.Stakeholder? _current;

    public async Task<IActionResult> OnGetAsync(Guid id, Guid? itemId, CancellationToken ct)
    {
        if (await LoadAsync(id, itemId, ct) is { } refusal)
            return refusal;
        if (_current is { } s)
            (Name, Group, IsIplc, Contact) = (s.Name, s.Group, s.IsIplc, s.Contact);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid? itemId, CancellationToken ct)
    {
        var request = new StakeholderRequest(Name, Group, IsIplc, Contact, ExpectedVersion);
        StakeholderCommand command = itemId is { } existing ? new UpdateStakeholder(id, existing, request) : new AddStakeholder(id, request);
        var result = await Commands.ExecuteAsync(command, User, ct);
        return await AfterAsync(result, id, Localizer["Stakeholder {0} saved.", Name ?? ""].Value, () => ReloadAsync(id, itemId, ct));
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, Guid itemId, int expectedVersion, CancellationToken ct)
    {
        var result = await Commands.ExecuteAsync(new RemoveStakeholder(id, itemId, expectedVersion), User, ct);
        return await AfterAsync(result, id, Localizer["The stakeholder was removed."].Value, () => ReloadAsync(id, itemId, ct));
    }

    private async Task<IActionResult> ReloadAsync(Guid id, Guid? itemId, CancellationToken ct) => await LoadAsync(id, itemId, ct) ?? Page();

    private async Task<IActionResult?> LoadAsync(Guid id, Guid? itemId, CancellationToken ct)
    {
        if (await LoadProjectAsync(id, ct) is { } refusal)
            return refusal;
        ItemId = itemId;
        if (itemId is { } existing && (_current = await people.FindStakeholderAsync(id, existing, ct)) is null)
            return NotFound();
        return null;
    }
}
