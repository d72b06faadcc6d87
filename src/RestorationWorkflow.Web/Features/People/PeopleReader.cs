using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.People;

/// <summary>
/// Reads a project's stakeholders, participation events and consent records for the API and the pages, and
/// decides who sees a stakeholder's contact: the project's team (managers and members) and administrators.
/// Everyone else (approvers, auditors) reads <c>contact: null, contactMasked: true</c>.
/// </summary>
public sealed class PeopleReader(AppDbContext db)
{
    /// <summary>Whether <paramref name="user"/> may see personal data of <paramref name="project"/>'s stakeholders.</summary>
    public static bool CanSeeContact(Project project, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(AppRoles.Administrator) || (user.UserId() is { Length: > 0 } id && project.RoleOf(id) is not null);
    }

    public async Task<IReadOnlyList<Stakeholder>> StakeholdersAsync(Guid projectId, CancellationToken ct) =>
        await db.Stakeholders.AsNoTracking().Where(s => s.ProjectId == projectId).OrderBy(s => s.CreatedAt).ToListAsync(ct);

    public async Task<IReadOnlyList<ParticipationEvent>> ParticipationAsync(Guid projectId, CancellationToken ct) =>
        await db.ParticipationEvents.AsNoTracking().Where(e => e.ProjectId == projectId).OrderBy(e => e.Date).ThenBy(e => e.CreatedAt).ToListAsync(ct);

    public async Task<IReadOnlyList<ConsentRecord>> ConsentsAsync(Guid projectId, CancellationToken ct) =>
        await db.ConsentRecords.AsNoTracking().Where(c => c.ProjectId == projectId).OrderBy(c => c.Date).ThenBy(c => c.CreatedAt).ToListAsync(ct);

    public Task<Stakeholder?> FindStakeholderAsync(Guid projectId, Guid id, CancellationToken ct) =>
        db.Stakeholders.AsNoTracking().FirstOrDefaultAsync(s => s.ProjectId == projectId && s.Id == id, ct);

    public Task<ParticipationEvent?> FindParticipationAsync(Guid projectId, Guid id, CancellationToken ct) =>
        db.ParticipationEvents.AsNoTracking().FirstOrDefaultAsync(s => s.ProjectId == projectId && s.Id == id, ct);

    public Task<ConsentRecord?> FindConsentAsync(Guid projectId, Guid id, CancellationToken ct) =>
        db.ConsentRecords.AsNoTracking().FirstOrDefaultAsync(s => s.ProjectId == projectId && s.Id == id, ct);

    public static StakeholderDto ToDto(Project project, Stakeholder s, bool canSeeContact)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(s);
        return new StakeholderDto(s.Id, s.ProjectId, s.Name, s.Group, StakeholderGroups.Label(s.Group).For(CultureInfo.CurrentUICulture), s.IsIplc,
            canSeeContact ? s.Contact : null, !canSeeContact, s.CreatedAt, s.UpdatedAt, project.Version);
    }

    public static ParticipationDto ToDto(Project project, ParticipationEvent e)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(e);
        return new ParticipationDto(e.Id, e.ProjectId, e.Date, e.StepCode, e.Method, e.Purpose, e.Women, e.Men, e.OtherGender, e.IplcMembers,
            e.NonIplcMembers, e.Outcome, e.EvidenceFileId, e.CreatedAt, e.UpdatedAt, project.Version);
    }

    public static ConsentDto ToDto(Project project, ConsentRecord c, string stakeholderName)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(c);
        return new ConsentDto(c.Id, c.ProjectId, c.StakeholderId, stakeholderName, c.Scopes, c.Outcome, ConsentOutcomes.Label(c.Outcome).For(CultureInfo.CurrentUICulture),
            c.Date, c.Conditions, c.EvidenceFileId, c.VerifiedById, c.VerifiedByName, c.VerifiedAt, c.WithdrawnOn, c.WithdrawalReason, c.CreatedAt, c.UpdatedAt,
            project.Version, project.State, c.RenewOn);
    }
}

/// <summary>Loads what <c>participationRecorded</c> reads.</summary>
public sealed class ParticipationGuardDataProvider(AppDbContext db) : IGuardDataProvider
{
    public GuardDataKey Key => PeopleGuardData.Participation;

    /// <inheritdoc />
    public bool Stamped => true;

    public async Task<object> LoadAsync(Project project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var steps = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var step in CompiledPerModel.For<Queries>(db.Model).Steps(db, project.Id).WithCancellation(cancellationToken))
            steps.Add(step);
        return new ParticipationFacts(steps);
    }

    /// <summary>Compiled once per model (decision 0056): every plan submission and approval runs it.</summary>
    private sealed class Queries
    {
        public Func<AppDbContext, Guid, IAsyncEnumerable<string>> Steps { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid projectId) =>
            c.ParticipationEvents.AsNoTracking().Where(e => e.ProjectId == projectId && e.Women + e.Men + e.OtherGender > 0)
                .Select(e => e.StepCode).Distinct());
    }
}

/// <summary>Loads what <c>consentGranted</c> reads.</summary>
public sealed class ConsentGuardDataProvider(AppDbContext db) : IGuardDataProvider
{
    public GuardDataKey Key => PeopleGuardData.Consent;

    /// <inheritdoc />
    public bool Stamped => true;

    public async Task<object> LoadAsync(Project project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var queries = CompiledPerModel.For<Queries>(db.Model);
        var iplc = await queries.Iplc(db, project.Id).ToListAsync(cancellationToken);
        var consents = await queries.Consents(db, project.Id).ToListAsync(cancellationToken);
        return new ConsentFacts(iplc, consents);
    }

    /// <summary>Compiled once per model (decision 0056): every guarded transition that checks consent runs them.</summary>
    private sealed class Queries
    {
        public Func<AppDbContext, Guid, IAsyncEnumerable<ConsentStakeholder>> Iplc { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid projectId) =>
            c.Stakeholders.AsNoTracking().Where(s => s.ProjectId == projectId && s.IsIplc).OrderBy(s => s.CreatedAt)
                .Select(s => new ConsentStakeholder(s.Id, s.Name)));

        /// <summary>
        /// Only the columns the rule reads (not the conditions or withdrawal reason). WithdrawnOn ?? Date is
        /// ConsentRecord.EffectiveDate, spelled out so the database computes it.
        /// </summary>
        public Func<AppDbContext, Guid, IAsyncEnumerable<ConsentFact>> Consents { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid projectId) =>
            c.ConsentRecords.AsNoTracking().Where(r => r.ProjectId == projectId)
                .Select(r => new ConsentFact(r.StakeholderId, r.Scopes, r.Outcome, r.WithdrawnOn ?? r.Date, r.UpdatedAt)));
    }
}

/// <summary>A3 cannot be marked not applicable while the project has an IPLC stakeholder (422 naming <c>status</c>).</summary>
public sealed class ConsentStepRule(AppDbContext db) : IChecklistRule
{
    public const string ConsentStep = "A3";

    public async Task<CommandResult<Project>?> CheckAsync(ProjectCommandContext context, string code, ChecklistStatus status, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (code != ConsentStep || status != ChecklistStatus.NotApplicable)
            return null;
        var names = await db.Stakeholders.AsNoTracking().Where(s => s.ProjectId == context.Project.Id && s.IsIplc).OrderBy(s => s.CreatedAt)
            .Select(s => s.Name).ToListAsync(ct);
        if (names.Count == 0)
            return null;
        var message = new LocalizedText(
            $"A3 cannot be marked not applicable (status): the project has IPLC stakeholders ({string.Join(", ", names)}), whose prior and informed consent is required.",
            $"A3 不能标记为不适用（status）：本项目有土著人民和地方社区利益攸关方（{string.Join("、", names)}），须取得其事先和知情同意。");
        return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("status", message)]);
    }
}

/// <summary>Verify a consent record: approvers.</summary>
public sealed class VerifyConsentRequirement : IAuthorizationRequirement;

public static class PeopleOperations
{
    public static readonly VerifyConsentRequirement VerifyConsent = new();
}

public sealed class VerifyConsentHandler : AuthorizationHandler<VerifyConsentRequirement, Project>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, VerifyConsentRequirement requirement, Project resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.IsInRole(AppRoles.Approver))
            context.Succeed(requirement);
        else
            context.Fail(new RuleFailureReason(this, new UnmetGuard("role", new LocalizedText(
                "Only approvers may verify a consent record.", "只有审批人可以核实同意记录。"))));
        return Task.CompletedTask;
    }
}
