using RestorationWorkflow.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;

namespace RestorationWorkflow.Web.Features.People;

/// <summary>Records or edits one consent record; records its withdrawal (managers); approvers verify it.</summary>
public sealed class ConsentModel(
    ProjectStore store, ProjectCommands commands, PeopleReader people, IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer, AppDbContext db)
    : PeoplePageBase(store, commands, authorization, localizer, db)
{
    [BindProperty]
    public Guid? StakeholderId { get; set; }

    [BindProperty]
    public List<string> Scopes { get; set; } = [];

    [BindProperty]
    public string? Outcome { get; set; }

    [BindProperty]
    public DateOnly? Date { get; set; }

    [BindProperty]
    public string? Conditions { get; set; }

    [BindProperty]
    public Guid? EvidenceFileId { get; set; }

    /// <summary>When the consent must be renewed or a condition of it falls due (optional).</summary>
    [BindProperty]
    public DateOnly? RenewOn { get; set; }

    [BindProperty]
    public DateOnly? WithdrawalDate { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public Guid? ItemId { get; private set; }

    public ConsentRecord? Current { get; private set; }

    public IReadOnlyList<Stakeholder> IplcStakeholders { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, Guid? itemId, CancellationToken ct)
    {
        if (await LoadAsync(id, itemId, ct) is { } refusal)
            return refusal;
        if (Current is { } c)
            (StakeholderId, Scopes, Outcome, Date, Conditions, EvidenceFileId, RenewOn) = (c.StakeholderId, [.. c.Scopes], c.Outcome, c.Date, c.Conditions, c.EvidenceFileId, c.RenewOn);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid? itemId, CancellationToken ct)
    {
        var request = new ConsentRequest(StakeholderId, Scopes, Outcome, Date, Conditions, EvidenceFileId, ExpectedVersion, RenewOn);
        ConsentCommand command = itemId is { } existing ? new UpdateConsent(id, existing, request) : new AddConsent(id, request);
        var result = await Commands.ExecuteAsync(command, User, ct);
        return await AfterAsync(result, id, Localizer["Consent record saved."].Value, () => ReloadAsync(id, itemId, ct));
    }

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, Guid itemId, CancellationToken ct)
    {
        var command = new WithdrawConsent(id, itemId, new ConsentWithdrawalRequest(WithdrawalDate, Reason, ExpectedVersion));
        var result = await Commands.ExecuteAsync(command, User, ct);
        // The withdrawal's date is named date in the API; on this page WithdrawalDate.
        if (result.Status == RestorationWorkflow.Commands.CommandStatus.Invalid && result.Errors.ContainsKey("date"))
            result = RestorationWorkflow.Commands.CommandResult<Project>.Invalid(result.Errors.ToDictionary(e => e.Key == "date" ? "withdrawalDate" : e.Key, e => e.Value));
        var message = command.Suspended ? Localizer["The withdrawal was recorded and the project is suspended."] : Localizer["The withdrawal was recorded."];
        return await AfterAsync(result, id, message.Value, () => ReloadAsync(id, itemId, ct));
    }

    public async Task<IActionResult> OnPostVerifyAsync(Guid id, Guid itemId, int expectedVersion, CancellationToken ct)
    {
        var result = await Commands.ExecuteAsync(new VerifyConsent(id, itemId, expectedVersion), User, ct);
        return await AfterAsync(result, id, Localizer["The consent record was verified."].Value, () => ReloadAsync(id, itemId, ct, requireEdit: false));
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, Guid itemId, int expectedVersion, CancellationToken ct)
    {
        var result = await Commands.ExecuteAsync(new RemoveConsent(id, itemId, expectedVersion), User, ct);
        return await AfterAsync(result, id, Localizer["The consent record was removed."].Value, () => ReloadAsync(id, itemId, ct));
    }

    private async Task<IActionResult> ReloadAsync(Guid id, Guid? itemId, CancellationToken ct, bool requireEdit = true) =>
        await LoadAsync(id, itemId, ct, requireEdit) ?? Page();

    private async Task<IActionResult?> LoadAsync(Guid id, Guid? itemId, CancellationToken ct, bool requireEdit = true)
    {
        if (await LoadProjectAsync(id, ct, requireEdit) is { } refusal)
            return refusal;
        ItemId = itemId;
        IplcStakeholders = [.. (await people.StakeholdersAsync(id, ct)).Where(s => s.IsIplc)];
        if (itemId is { } existing)
        {
            Current = await people.FindConsentAsync(id, existing, ct);
            if (Current is null)
                return NotFound();
        }
        return null;
    }
}
