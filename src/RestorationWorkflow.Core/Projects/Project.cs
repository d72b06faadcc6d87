using RestorationWorkflow.Audit;
using Stateless;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects;

/// <summary>
/// A restoration project: its registry fields, its place in the workflow and its step checklist.
/// The Stateless machine lives inside the aggregate and stores its state in <see cref="State"/>
/// through the external-state constructor, so EF Core persists exactly one string.
/// </summary>
public sealed class Project
{
    private readonly List<ChecklistItem> _checklist = [];
    private readonly List<ProjectMember> _members = [];

    private Project()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public string Description { get; private set; } = "";

    /// <summary>ISO 3166-1 alpha-2 country code, upper case.</summary>
    public string Country { get; private set; } = "";

    public List<string> EcosystemTypes { get; private set; } = [];

    public decimal AreaHectares { get; private set; }

    /// <summary>The project's unique code (<c>KE-2026-001</c>), stored upper case; generated when none is given.</summary>
    public string Code { get; private set; } = "";

    /// <summary>The sub-national region, free text; empty when not given.</summary>
    public string Region { get; private set; } = "";

    /// <summary>A <see cref="ProjectScales"/> code, or null when not yet given.</summary>
    public string? Scale { get; private set; }

    /// <summary>Whether the area is naturally low in tree cover (annex, appendix 1: no afforestation there).</summary>
    public bool NaturallyLowTreeCover { get; private set; }

    /// <summary>A <see cref="ProjectSituations"/> code (annex, paragraph 7), or null when not yet given.</summary>
    public string? Situation { get; private set; }

    public DateOnly? StartDate { get; private set; }

    /// <summary>The planned lifespan in years.</summary>
    public int? LifespanYears { get; private set; }

    public decimal? Budget { get; private set; }

    /// <summary>ISO 4217 code of <see cref="Budget"/>, upper case (<see cref="Currencies"/>).</summary>
    public string? Currency { get; private set; }

    public string LeadOrganisation { get; private set; } = "";

    public string State { get; private set; } = "";

    /// <summary>
    /// Who fired the transition into the current state (the creator for the initial state): the submitter whom
    /// separation of duties keeps from deciding a review.
    /// </summary>
    public string StateEnteredById { get; private set; } = "";

    /// <summary>The state a suspended project returns to on Resume.</summary>
    public string? StateBeforeSuspension { get; private set; }

    public string WorkflowId { get; private set; } = "";

    public int WorkflowVersion { get; private set; }

    /// <summary>Concurrency token: every audited change adds one (<see cref="AppendAudit"/>), nothing else does.</summary>
    public int Version { get; private set; }

    /// <summary>
    /// The revision of the due-item rules (<see cref="Reminders.DuePlan.Revision"/>) under which every due item of this
    /// project was planned. A new project is planned by the command path from its first command, so it starts at the
    /// current revision; a project stored before due items existed has 0, and the reminder scan plans it in full first
    /// (<c>DueItemBackfill</c>). Not project content: it is neither audited nor counted in <see cref="Version"/>.
    /// </summary>
    public int DuePlanRevision { get; private set; } = Reminders.DuePlan.Revision;

    /// <summary>
    /// Moved by the database, never by the app: triggers add one whenever a row an approval snapshot covers is
    /// inserted, changed or deleted, or a registry column changes, through the app or around it
    /// (<see cref="Approvals.CoveredContent"/>, decision 0068). A request records it with its snapshot; while the two
    /// are equal, the snapshot is current without being built again; guard data read at it is reused while it stays
    /// (decision 0069). Not content: neither audited nor in <see cref="Version"/>. A loaded project whose command then
    /// wrote stamped rows holds <see cref="Approvals.CoveredContent.UnknownStamp"/> after the commit.
    /// </summary>
    public long ContentStamp { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedById { get; private set; } = "";

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The sequence of the project's newest audit event (the chain's head).</summary>
    public int AuditSequence { get; private set; }

    /// <summary>The hash of the project's newest audit event; empty before the first.</summary>
    public string AuditHead { get; private set; } = "";

    /// <summary>The <see cref="AuditHeadSeal"/> over the head; empty when no key is configured.</summary>
    public string AuditHeadMac { get; private set; } = "";

    public IReadOnlyList<ChecklistItem> Checklist => _checklist;

    public IReadOnlyList<ProjectMember> Members => _members;

    public static Project Create(ProjectDetails details, WorkflowDefinition definition, string creatorId, DateTimeOffset now, ProjectRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(definition);
        var project = new Project
        {
            Id = Guid.CreateVersion7(now),
            WorkflowId = definition.Id,
            WorkflowVersion = definition.Version,
            State = definition.InitialState,
            StateEnteredById = creatorId,
            Version = 0,
            CreatedAt = now,
            CreatedById = creatorId,
            UpdatedAt = now,
        };
        project.Apply(details);
        if (registry is not null)
            project.UpdateRegistry(registry);
        project._members.Add(new ProjectMember(project.Id, creatorId, ProjectMemberRole.Manager, now));
        foreach (var step in StaperSteps.All)
            project._checklist.Add(new ChecklistItem(project.Id, step.Code));
        return project;
    }

    /// <summary>
    /// Records one audited change: chains <paramref name="auditEvent"/> to the project's newest event, makes it
    /// the new head, adds one to <see cref="Version"/> and sets <see cref="UpdatedAt"/> to the event's time. The
    /// head is updated in the same row (and the same UPDATE) as the state and the version, so no extra read is
    /// needed and a writer that lost the version race cannot fork the chain. This is the only way the version moves.
    /// </summary>
    public void AppendAudit(AuditEvent auditEvent, AuditHeadSeal seal)
    {
        ArgumentNullException.ThrowIfNull(seal);
        ArgumentNullException.ThrowIfNull(auditEvent);
        auditEvent.ProjectId = Id;
        auditEvent.Sequence = AuditSequence + 1;
        AuditChain.Seal(auditEvent, AuditSequence == 0 ? null : AuditHead);
        AuditSequence = auditEvent.Sequence;
        AuditHead = auditEvent.Hash;
        AuditHeadMac = seal.Seal(Id, AuditSequence, AuditHead);
        Version++;
        UpdatedAt = auditEvent.At;
    }

    /// <summary>Seals a head written before a key was configured (trust on first use, see decision 0007).</summary>
    public void SealHead(AuditHeadSeal seal)
    {
        ArgumentNullException.ThrowIfNull(seal);
        AuditHeadMac = seal.Seal(Id, AuditSequence, AuditHead);
    }

    public ProjectDetails Details => new(Name, Description, Country, [.. EcosystemTypes], AreaHectares);

    /// <summary>The registry fields beyond <see cref="Details"/>.</summary>
    public ProjectRegistry Registry => new(Code, Region, Scale, NaturallyLowTreeCover, Situation, StartDate, LifespanYears, Budget, Currency, LeadOrganisation);

    public bool IsManagedBy(string userId) =>
        _members.Any(m => m.UserId == userId && m.Role == ProjectMemberRole.Manager);

    /// <summary>The user's role in the team, or null when they are not in it.</summary>
    public ProjectMemberRole? RoleOf(string userId) => _members.FirstOrDefault(m => m.UserId == userId)?.Role;

    public ChecklistItem? FindChecklistItem(string code) => _checklist.FirstOrDefault(i => i.Code == code);

    /// <summary>Changes a loaded checklist item; returns the old and new values for the audit event.</summary>
    public ChecklistChange UpdateChecklistItem(string code, ChecklistStatus status, string? note, string actorId, DateTimeOffset now)
    {
        var item = FindChecklistItem(code) ?? throw new KeyNotFoundException($"No checklist item '{code}' is loaded.");
        var oldStatus = item.Status;
        var oldNote = item.Note;
        item.Update(status, note, actorId, now);
        return new ChecklistChange(code, oldStatus, item.Status, oldNote, item.Note);
    }

    /// <summary>
    /// Moves a project to another version of its definition. Its state, and the state a suspended project returns
    /// to, move to the states <paramref name="target"/> maps them to (<see cref="WorkflowDefinition.MapStateFrom"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A state has no counterpart in <paramref name="target"/>.</exception>
    public void MoveToWorkflowVersion(WorkflowDefinition target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var state = target.MapStateFrom(WorkflowVersion, State)
            ?? throw new InvalidOperationException($"State '{State}' does not exist in {target.Key}.");
        var before = StateBeforeSuspension is null ? null
            : target.MapStateFrom(WorkflowVersion, StateBeforeSuspension)
              ?? throw new InvalidOperationException($"State '{StateBeforeSuspension}' (before the suspension) does not exist in {target.Key}.");
        WorkflowId = target.Id;
        WorkflowVersion = target.Version;
        State = state;
        StateBeforeSuspension = before;
    }

    /// <summary>
    /// Fires <paramref name="trigger"/> on the project's state machine for <paramref name="actorId"/>. Conditions
    /// (<see cref="WorkflowEngine"/>) and authorization are checked before this is called; the machine itself
    /// refuses a trigger that does not leave the current state.
    /// </summary>
    public void Fire(WorkflowDefinition definition, string trigger, string actorId)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var transition = definition.FindTransition(State, trigger)
            ?? throw new InvalidOperationException($"Trigger '{trigger}' does not leave state '{State}' in {definition.Key}.");
        var target = transition.ToPreviousState ? StateBeforeSuspension : transition.To;
        if (target is null || definition.FindState(target) is null)
            throw new InvalidOperationException($"Trigger '{trigger}' from '{State}' has no state to go to.");

        var leaving = State;
        var machine = BuildMachine(definition);
        machine.Fire(trigger);

        if (definition.GetState(State).Kind == StateKind.Suspended)
            StateBeforeSuspension = leaving;
        else if (transition.ToPreviousState)
            StateBeforeSuspension = null;
        StateEnteredById = actorId;
    }

    /// <summary>
    /// The machine for one firing: only the current state is configured, with the transitions that leave it. A firing
    /// reads nothing else (the definitions have no substates and no entry or exit actions), and configuring every state
    /// of the definition took a seventh of the memory a transition allocated (decision 0062).
    /// </summary>
    private StateMachine<string, string> BuildMachine(WorkflowDefinition definition)
    {
        var from = State;
        var machine = new StateMachine<string, string>(() => State, s => State = s);
        var config = machine.Configure(from);
        foreach (var transition in definition.TransitionsFrom(from))
        {
            if (transition.ToPreviousState)
                config.PermitDynamic(transition.Trigger, () => StateBeforeSuspension ?? from);
            else if (transition.To == from)
                config.PermitReentry(transition.Trigger);
            else
                config.Permit(transition.Trigger, transition.To!);
        }
        return machine;
    }

    public void UpdateDetails(ProjectDetails details) => Apply(details);

    private void Apply(ProjectDetails details)
    {
        Name = details.Name.Trim();
        Description = details.Description.Trim();
        Country = details.Country.Trim().ToUpperInvariant();
        EcosystemTypes = [.. details.EcosystemTypes];
        AreaHectares = details.AreaHectares;
    }

    /// <summary>The project's total area is the sum of its sites' computed areas (the site commands call this).</summary>
    public void SetAreaFromSites(IEnumerable<decimal> siteHectares)
    {
        ArgumentNullException.ThrowIfNull(siteHectares);
        AreaHectares = Math.Round(siteHectares.Sum(), 2, MidpointRounding.AwayFromZero);
    }

    public void AddManager(string userId, DateTimeOffset now) => SetTeamRole(userId, ProjectMemberRole.Manager, now);

    /// <summary>Sets the registry fields beyond <see cref="Details"/> (validated by the command).</summary>
    public void UpdateRegistry(ProjectRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Code = registry.Code.Trim().ToUpperInvariant();
        Region = registry.Region.Trim();
        Scale = registry.Scale;
        NaturallyLowTreeCover = registry.NaturallyLowTreeCover;
        Situation = registry.Situation;
        StartDate = registry.StartDate;
        LifespanYears = registry.LifespanYears;
        Budget = registry.Budget;
        Currency = registry.Currency?.Trim().ToUpperInvariant();
        LeadOrganisation = registry.LeadOrganisation.Trim();
    }

    /// <summary>
    /// Puts <paramref name="userId"/> in the team with <paramref name="role"/> (one role per person: a member made a
    /// manager is no longer a member). Returns the role they had, or null when they were not in the team.
    /// </summary>
    public ProjectMemberRole? SetTeamRole(string userId, ProjectMemberRole role, DateTimeOffset now)
    {
        var current = _members.FirstOrDefault(m => m.UserId == userId);
        if (current?.Role == role)
            return role;
        if (current is not null)
            _members.Remove(current);
        _members.Add(new ProjectMember(Id, userId, role, now));
        return current?.Role;
    }

    /// <summary>Takes <paramref name="userId"/> off the team; false when they were not in it. The last-manager rule is the command's.</summary>
    public bool RemoveFromTeam(string userId)
    {
        var current = _members.FirstOrDefault(m => m.UserId == userId);
        return current is not null && _members.Remove(current);
    }

    public int ManagerCount => _members.Count(m => m.Role == ProjectMemberRole.Manager);
}

/// <summary>
/// The registry fields beyond <see cref="ProjectDetails"/>: the code, where (region), the scale, the situation
/// (annex, paragraph 7), when and for how long, the budget and its currency, who leads.
/// </summary>
public sealed record ProjectRegistry(
    string Code, string Region, string? Scale, bool NaturallyLowTreeCover, string? Situation,
    DateOnly? StartDate, int? LifespanYears, decimal? Budget, string? Currency, string LeadOrganisation);

/// <summary>The registry fields a manager fills in.</summary>
public sealed record ProjectDetails(string Name, string Description, string Country, IReadOnlyList<string> EcosystemTypes, decimal AreaHectares);

public sealed record ChecklistChange(string Code, ChecklistStatus OldStatus, ChecklistStatus NewStatus, string? OldNote, string? NewNote);

public enum ProjectMemberRole
{
    Manager,

    /// <summary>On the team without managing the project: named on it, reads it like everyone.</summary>
    Member,
}

public sealed class ProjectMember
{
    private ProjectMember()
    {
    }

    public ProjectMember(Guid projectId, string userId, ProjectMemberRole role, DateTimeOffset addedAt)
    {
        ProjectId = projectId;
        UserId = userId;
        Role = role;
        AddedAt = addedAt;
    }

    public Guid ProjectId { get; private set; }

    public string UserId { get; private set; } = "";

    public ProjectMemberRole Role { get; private set; }

    public DateTimeOffset AddedAt { get; private set; }
}
