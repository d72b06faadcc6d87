using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>
/// One gate on the project page: its definition, its requests (newest first), the open one, and what the caller may
/// do with it — decide (for themselves, or on behalf of an approver whose delegation to them is in force today),
/// why they may not, or resubmit a stale request as a manager of the project.
/// </summary>
public sealed record GateView(
    GateDto Gate, IReadOnlyList<ApprovalRequestDto> Requests, ApprovalRequestDto? Open, bool AwaitsReturn,
    bool CanDecide, IReadOnlyList<PersonDto> OnBehalfOf, IReadOnlyList<LocalizedText> WhyNot, bool CanResubmit);

/// <summary>
/// The Approvals section of the project page (<c>Features/Approvals/_Approvals.cshtml</c>), with the refusal of the
/// last decision or resubmission posted from it: messages for the whole form, messages by field, and what was typed.
/// </summary>
public sealed record ApprovalsSection(Project Project, IReadOnlyList<GateView> Gates)
{
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Field messages by field name (<c>Comment</c>, <c>Sections</c>, <c>OnBehalfOf</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public string? PostedComment { get; init; }

    public IReadOnlyList<string> PostedSections { get; init; } = [];

    public IReadOnlyList<string> FieldError(string field) => FieldErrors.TryGetValue(field, out var messages) ? messages : [];
}

/// <summary>
/// Reads the Approvals section for a caller: <see cref="ApprovalReader.ForProjectAsync"/> for the gates and their
/// history, <see cref="ApprovalRules.Check(RestorationWorkflow.Identity.Caller, ApprovalDecisionResource)"/> for who may decide the open request (the same rules as the decision
/// command), and the delegations to the caller in force today (<see cref="DelegationReader.ActiveForDelegateAsync"/>)
/// for the "on behalf of" choice.
/// </summary>
public sealed class ApprovalsSectionReader(
    ApprovalReader reader, DelegationReader delegations, AppDbContext db, WorkflowCatalog catalog, IAuthorizationService authorization)
{
    public async Task<ApprovalsSection> ReadAsync(Project project, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(user);
        var approvals = await reader.ForProjectAsync(project, ApprovalFilter.All, ct);
        var definition = catalog.DefinitionOf(project);
        var caller = user.ToCaller();
        var isManager = (await authorization.AuthorizeAsync(user, project, ProjectOperations.Edit)).Succeeded;
        var gates = new List<GateView>(approvals.Gates.Count);
        foreach (var gate in approvals.Gates)
        {
            var requests = approvals.Requests.Where(r => r.Gate == gate.Id).OrderByDescending(r => r.Sequence).ToList();
            var open = gate.OpenRequestId is { } openId ? requests.FirstOrDefault(r => r.Id == openId) : null;
            // A suspended project keeps its open request; nobody decides it until the project is back in review.
            var inReview = open is not null && project.State == open.State;
            var (canDecide, onBehalfOf, whyNot) = inReview && !open!.Stale && definition.FindGate(gate.Id) is { } gateDefinition
                ? await OfferAsync(project, gateDefinition, open.Id, caller, ct)
                : (false, [], []);
            gates.Add(new GateView(gate, requests, open, open is not null && !inReview, canDecide, onBehalfOf, whyNot,
                CanResubmit: isManager && inReview && open!.Stale));
        }
        return new ApprovalsSection(project, gates);
    }

    private async Task<(bool CanDecide, IReadOnlyList<PersonDto> OnBehalfOf, IReadOnlyList<LocalizedText> WhyNot)> OfferAsync(
        Project project, GateDefinition gate, Guid requestId, RestorationWorkflow.Identity.Caller caller, CancellationToken ct)
    {
        // Read again for the rules with its decisions; a request decided since the list was read is offered to nobody.
        var request = await db.ApprovalRequests.AsNoTracking().Include(r => r.Decisions).FirstOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null || !request.IsOpen)
            return (false, [], []);
        var failed = ApprovalRules.Check(caller, new ApprovalDecisionResource(project, gate, request, null, false));
        if (failed.Count > 0)
            return (false, [], [.. failed.Select(f => f.Message)]);

        // The approvers whose delegation to the caller is in force today (as the decision command finds it), and on
        // whose behalf the same rules let the caller decide.
        var delegators = (await delegations.ActiveForDelegateAsync(caller.UserId, delegations.Today, ct))
            .Select(d => d.DelegatorId).Distinct(StringComparer.Ordinal);
        var allowed = delegators
            .Where(d => ApprovalRules.Check(caller, new ApprovalDecisionResource(project, gate, request, d, true)).Count == 0)
            .ToList();
        var people = await ApprovalReader.NamesAsync(db, allowed, ct);
        return (true, [.. allowed.Select(d => ApprovalReader.Person(people, d)).OrderBy(p => p.Name, StringComparer.CurrentCulture)], []);
    }
}
