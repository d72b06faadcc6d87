using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>
/// <c>/Approvals/Delegations</c>: the delegations the caller gave and received (administrators and auditors: all), with
/// their state today; approvers give one to another active approver (administrators on behalf of any approver), and the
/// delegator or an administrator revokes one. Refusals come back next to their fields.
/// </summary>
[Authorize(Policy = Policies.ReadDelegations)]
public sealed class DelegationsModel(DelegationReader reader, DelegationCommands commands, IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer)
    : PageModel
{
    [BindProperty]
    public string? DelegateId { get; set; }

    [BindProperty]
    public DateOnly? StartsOn { get; set; }

    [BindProperty]
    public DateOnly? EndsOn { get; set; }

    /// <summary>Administrators: the approver on whose behalf.</summary>
    [BindProperty]
    public string? DelegatorId { get; set; }

    public IReadOnlyList<DelegationView> Delegations { get; private set; } = [];

    /// <summary>The active approvers, for the delegate (and, for administrators, the delegator) select.</summary>
    public IReadOnlyList<DelegationUser> Approvers { get; private set; } = [];

    public DateOnly Today { get; private set; }

    /// <summary>Approvers and administrators give and revoke; auditors only read.</summary>
    public bool CanManage { get; private set; }

    public bool IsAdministrator => User.IsInRole(AppRoles.Administrator);

    public string Me => User.UserId();

    /// <summary>Whether the caller may revoke <paramref name="delegation"/> (and it is not revoked yet).</summary>
    public bool CanRevoke(DelegationView delegation)
    {
        ArgumentNullException.ThrowIfNull(delegation);
        return CanManage && !delegation.Delegation.IsRevoked
            && (IsAdministrator || string.Equals(delegation.Delegator.Id, Me, StringComparison.Ordinal));
    }

    public string StateLabel(string state) => state switch
    {
        DelegationStates.Upcoming => localizer["Upcoming"],
        DelegationStates.InForce => localizer["In force"],
        DelegationStates.Ended => localizer["Ended"],
        _ => localizer["Revoked"],
    };

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (CanManage && User.IsInRole(AppRoles.Approver))
            DelegatorId = Me;
        StartsOn ??= Today;
        EndsOn ??= Today.AddDays(6);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanManage)
            return Forbid();
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var result = await commands.CreateAsync(User, new DelegationRequest(null, DelegateId, StartsOn, EndsOn, IsAdministrator ? DelegatorId : null), ct);
        if (result.Succeeded)
        {
            var created = result.Value!;
            TempData["Message"] = localizer["{0} now decides on behalf of {1} from {2} to {3}.", created.Delegate.Label, created.Delegator.Label,
                Day(created.Delegation.StartsOn), Day(created.Delegation.EndsOn)].Value;
            return RedirectToPage();
        }
        Show(result);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanManage)
            return Forbid();
        var result = await commands.RevokeAsync(User, id, ct);
        if (result.Code == DelegationErrorCodes.NotFound)
            return NotFound();
        if (result.Succeeded)
        {
            var revoked = result.Value!;
            TempData["Message"] = localizer["The delegation from {0} to {1} was revoked.", revoked.Delegator.Label, revoked.Delegate.Label].Value;
            return RedirectToPage();
        }
        Show(result);
        ModelState.Remove(nameof(DelegateId));
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        CanManage = (await authorization.AuthorizeAsync(User, Policies.ManageDelegations)).Succeeded;
        Today = reader.Today;
        Delegations = await reader.ListAsync(User, null, ct);
        Approvers = CanManage ? await reader.ActiveApproversAsync(ct) : [];
    }

    /// <summary>The refusal's status, and each message next to the field it names (the whole form otherwise).</summary>
    private void Show(CommandResult<DelegationView> result)
    {
        Response.StatusCode = result.Status switch
        {
            CommandStatus.NotFound => StatusCodes.Status404NotFound,
            CommandStatus.Conflict => StatusCodes.Status409Conflict,
            CommandStatus.Forbidden => StatusCodes.Status403Forbidden,
            CommandStatus.Unprocessable => StatusCodes.Status422UnprocessableEntity,
            _ => StatusCodes.Status400BadRequest,
        };
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        switch (result.Status)
        {
            case CommandStatus.Invalid:
                foreach (var (field, messages) in result.Errors)
                {
                    foreach (var message in messages)
                        ModelState.AddModelError(Field(field), message);
                }
                break;
            case CommandStatus.Unprocessable:
                foreach (var reason in result.Reasons)
                    ModelState.AddModelError(Field(reason.Guard), reason.Message.For(culture));
                break;
            case CommandStatus.Forbidden:
                ModelState.AddModelError("", localizer["You may not do this."]);
                foreach (var reason in result.Reasons)
                    ModelState.AddModelError("", reason.Message.For(culture));
                break;
            default:
                ModelState.AddModelError("", result.Detail ?? localizer["The change was refused."]);
                break;
        }
    }

    /// <summary>The form field of a request field: the delegate (by e-mail or id) is the select; the delegator only administrators choose.</summary>
    private string Field(string field) => field switch
    {
        "delegateEmail" or "delegateId" => nameof(DelegateId),
        "startsOn" => nameof(StartsOn),
        "endsOn" => nameof(EndsOn),
        "delegatorId" when IsAdministrator => nameof(DelegatorId),
        _ => "",
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
