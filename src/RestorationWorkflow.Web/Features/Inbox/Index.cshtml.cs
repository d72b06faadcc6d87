using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Approvals;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Inbox;

/// <summary>
/// The inbox page: the items of <see cref="InboxReader"/>, filterable by kind. Approvers approve or reject a request
/// from it (after the diff since the previous submission), managers resubmit stale requests; both run through the
/// project command path, and a refusal is shown next to the item's fields.
/// </summary>
[Authorize(Policy = Policies.SignedInWithRole)]
public sealed class IndexModel(InboxReader inbox, ProjectCommands commands, ApprovalReader approvals, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public InboxDto Inbox { get; private set; } = null!;

    /// <summary>The kind shown (null: every kind).</summary>
    public string? Kind { get; private set; }

    /// <summary>The request (decide) or project (resubmit) whose form was refused, to show the errors next to it.</summary>
    public Guid? FailedId { get; private set; }

    public string? PostedComment { get; private set; }

    public IReadOnlyList<InboxItemDto> Items => Kind is null ? Inbox.Items : [.. Inbox.Items.Where(i => i.Kind == Kind)];

    public async Task<IActionResult> OnGetAsync(string? kind, CancellationToken ct)
    {
        Kind = InboxKinds.All.Contains(kind) ? kind : null;
        Inbox = await inbox.ReadAsync(User, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDecideAsync(
        Guid requestId, string? decision, string? comment, List<string>? sections, string? onBehalfOf, string? snapshotHash, string? kind, CancellationToken ct)
    {
        if (await approvals.ProjectOfAsync(requestId, ct) is not { } projectId)
            return NotFound();
        var request = new ApprovalDecisionRequest(decision, comment, sections ?? [], string.IsNullOrWhiteSpace(onBehalfOf) ? null : onBehalfOf, snapshotHash, null);
        var command = new DecideApproval(projectId, requestId, request);
        var result = await commands.ExecuteAsync(command, User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = command.Fired is null
                ? localizer["Your decision was recorded."].Value
                : localizer["Your decision was recorded; the project moved to {0}.", result.Value!.State].Value;
            return Redirect(kind is null ? "/inbox" : $"/inbox?kind={Uri.EscapeDataString(kind)}");
        }
        PostedComment = comment;
        return await RefusedAsync(result, requestId, kind, ct);
    }

    public async Task<IActionResult> OnPostResubmitAsync(Guid projectId, string gate, int expectedVersion, string? kind, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new ResubmitApproval(projectId, gate, new ResubmitApprovalRequest(expectedVersion, null)), User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["The request was resubmitted; approvers now review the current content."].Value;
            return Redirect(kind is null ? "/inbox" : $"/inbox?kind={Uri.EscapeDataString(kind)}");
        }
        return await RefusedAsync(result, projectId, kind, ct);
    }

    private async Task<IActionResult> RefusedAsync(CommandResult<Project> result, Guid failedId, string? kind, CancellationToken ct)
    {
        if (result.Code is CommandErrorCodes.ProjectNotFound)
            return NotFound();
        result.ShowOn(this, localizer);
        FailedId = failedId;
        Kind = InboxKinds.All.Contains(kind) ? kind : null;
        var status = Response.StatusCode;
        Inbox = await inbox.ReadAsync(User, ct);
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>The messages recorded for <paramref name="field"/> ("" for the form as a whole).</summary>
    public IReadOnlyList<string> ErrorsFor(string field) =>
        ModelState.TryGetValue(field, out var entry) ? [.. entry.Errors.Select(e => e.ErrorMessage)] : [];
}
