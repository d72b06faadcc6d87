using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Approvals;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>A person who may be reminded: active (not locked, holding a role), with their e-mail preferences.</summary>
public sealed record ReminderRecipient(
    string Id, string? Email, string DisplayName, string Language, bool EmailReminders, bool DailyDigest, IReadOnlySet<string> Roles)
{
    public bool IsAdministrator => Roles.Contains(AppRoles.Administrator);

    /// <summary>The name to greet: the display name, else the e-mail.</summary>
    public string Name => string.IsNullOrWhiteSpace(DisplayName) ? Email ?? Id : DisplayName;
}

/// <summary>
/// Every active user once, for one scan or digest run: a few hundred rows however many items are due. Locked-out users
/// and users without any role (deactivated) are not in it, so they are reminded of nothing.
/// </summary>
public sealed class ReminderDirectory
{
    private readonly Dictionary<string, ReminderRecipient> _active;
    private readonly ILookup<string, string> _usersByRole;

    private ReminderDirectory(Dictionary<string, ReminderRecipient> active)
    {
        _active = active;
        _usersByRole = active.Values.SelectMany(u => u.Roles.Select(r => (Role: r, u.Id))).ToLookup(p => p.Role, p => p.Id, StringComparer.Ordinal);
        Administrators = [.. _usersByRole[AppRoles.Administrator].Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Administrators { get; }

    public IEnumerable<ReminderRecipient> All => _active.Values;

    public ReminderRecipient? Find(string userId) => _active.GetValueOrDefault(userId);

    public bool IsActive(string userId) => _active.ContainsKey(userId);

    public IEnumerable<string> InRoles(IEnumerable<string> roles) => roles.SelectMany(r => _usersByRole[r]).Distinct(StringComparer.Ordinal);

    /// <summary>A directory of the given active users (tests).</summary>
    internal static ReminderDirectory Of(IEnumerable<ReminderRecipient> active) =>
        new(active.ToDictionary(u => u.Id, StringComparer.Ordinal));

    /// <summary>Every active user.</summary>
    public static Task<ReminderDirectory> LoadAsync(AppDbContext db, DateTimeOffset now, CancellationToken ct) => LoadAsync(db, null, now, ct);

    /// <summary>One user, if active (a delivery job's recipient).</summary>
    public static async Task<ReminderRecipient?> FindActiveAsync(AppDbContext db, string userId, DateTimeOffset now, CancellationToken ct) =>
        (await LoadAsync(db, userId, now, ct)).Find(userId);

    private static async Task<ReminderDirectory> LoadAsync(AppDbContext db, string? only, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var users = await db.Users.AsNoTracking()
            .Where(u => only == null || u.Id == only)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.PreferredLanguage, u.EmailReminders, u.DailyDigest, u.LockoutEnd })
            .ToListAsync(ct);
        var roles = await (
                from userRole in db.UserRoles
                join role in db.Roles on userRole.RoleId equals role.Id
                where only == null || userRole.UserId == only
                select new { userRole.UserId, Role = role.Name! })
            .AsNoTracking()
            .ToListAsync(ct);
        var rolesByUser = roles.ToLookup(r => r.UserId, r => r.Role, StringComparer.Ordinal);
        // Locked: an end in the future (administrators lock until unlocked).
        var active = users
            .Where(u => u.LockoutEnd is not { } end || end <= now)
            .Where(u => rolesByUser[u.Id].Any())
            .Select(u => new ReminderRecipient(u.Id, u.Email, u.DisplayName, u.PreferredLanguage, u.EmailReminders, u.DailyDigest,
                rolesByUser[u.Id].ToHashSet(StringComparer.Ordinal)))
            .ToDictionary(u => u.Id, StringComparer.Ordinal);
        return new ReminderDirectory(active);
    }
}

/// <summary>What the audience rule needs to know of one project.</summary>
public sealed record ReminderProject(Guid Id, string Name, string Code, string WorkflowId, IReadOnlyList<(string UserId, ProjectMemberRole Role)> Team)
{
    public bool OnTeam(string userId) => Team.Any(m => m.UserId == userId);

    public IEnumerable<string> Managers => Team.Where(m => m.Role == ProjectMemberRole.Manager).Select(m => m.UserId);
}

/// <summary>What the audience rule needs to know of one approval request (an <c>approvalDecision</c> item's source).</summary>
public sealed record ReminderRequest(Guid Id, string Gate, int WorkflowVersion, bool Open, string SubmittedById, IReadOnlySet<string> DecidedBy);

/// <summary>
/// Who is reminded of a due item at a stage (the one rule; the calendar follows it too):
/// <list type="bullet">
/// <item>an approval decision: the active users who may decide the open request by <see cref="ApprovalRules.MayDecide"/> —
/// in one of the gate's approver roles, not having decided it, and where the gate keeps separation of duties neither its
/// submitter nor on the project team;</item>
/// <item>every other kind: the project's managers;</item>
/// <item>at the escalation stage also the project's approvers (in the gate's approver roles, or Approver, and not on its
/// team) and every administrator.</item>
/// </list>
/// Locked-out and deactivated users are never in the directory, so never reminded.
/// </summary>
public static class ReminderAudience
{
    public static IReadOnlyList<string> For(
        string kind, string stage, ReminderProject project, ReminderRequest? request, ReminderDirectory directory, WorkflowCatalog workflows)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(workflows);
        var audience = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<string> approverRoles = [AppRoles.Approver];
        if (kind == DueItemKinds.ApprovalDecision)
        {
            if (request is { Open: true } && workflows.Find(project.WorkflowId, request.WorkflowVersion)?.FindGate(request.Gate) is { } gate)
            {
                approverRoles = gate.ApproverRoles;
                audience.UnionWith(directory.InRoles(approverRoles).Where(u => ApprovalRules.MayDecide(
                    gate, directory.Find(u)!.Roles.Contains, u, request.SubmittedById, project.OnTeam(u), request.DecidedBy.Contains(u))));
            }
        }
        else
        {
            audience.UnionWith(project.Managers.Where(directory.IsActive));
        }
        if (stage == ReminderStages.Escalation)
        {
            audience.UnionWith(directory.InRoles(approverRoles).Where(u => !project.OnTeam(u)));
            audience.UnionWith(directory.Administrators);
        }
        return [.. audience.Order(StringComparer.Ordinal)];
    }
}
