using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Workflows;

/// <summary>
/// The runtime half of "a gate's quorum larger than the number of possible approvers is a definition error only where
/// it can be known": at load nothing is known about users, so the administrators' workflows page, the workflows API and
/// the start-up log compare each gate's quorum with the active (not locked) users holding one of its approver roles.
/// </summary>
public sealed class GateStaffingCheck(AppDbContext db, WorkflowCatalog catalog, TimeProvider time)
{
    /// <summary>The warnings for every loaded definition.</summary>
    public Task<IReadOnlyList<GateStaffingWarning>> WarningsAsync(CancellationToken ct) => WarningsAsync(catalog.All, ct);

    /// <summary>The warnings for <paramref name="definitions"/>: one per gate whose quorum exceeds its active approvers.</summary>
    public async Task<IReadOnlyList<GateStaffingWarning>> WarningsAsync(IReadOnlyCollection<WorkflowDefinition> definitions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var roles = definitions.SelectMany(d => d.Gates).SelectMany(g => g.ApproverRoles).Distinct(StringComparer.Ordinal).ToList();
        if (roles.Count == 0)
            return [];
        var holders = await (
                from userRole in db.UserRoles
                join role in db.Roles on userRole.RoleId equals role.Id
                join user in db.Users on userRole.UserId equals user.Id
                where roles.Contains(role.Name!)
                select new { user.Id, Role = role.Name!, user.LockoutEnd })
            .AsNoTracking()
            .ToListAsync(ct);
        // Locked: an end in the future (administrators lock until unlocked). Compared here: SQLite cannot order DateTimeOffset.
        var now = time.GetUtcNow();
        return GateStaffing.Check(definitions, holders.Where(h => h.LockoutEnd is not { } end || end <= now).Select(h => (h.Id, h.Role)));
    }

    /// <summary>Logs each warning once at start-up (after seeding), as a warning: users are usually added later.</summary>
    public static async Task LogGateStaffingAsync(IServiceProvider services, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var check = scope.ServiceProvider.GetRequiredService<GateStaffingCheck>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<GateStaffingCheck>>();
        foreach (var warning in await check.WarningsAsync(ct))
            logger.LogWarning("Workflow {WorkflowId}@{WorkflowVersion}: {Warning}", warning.WorkflowId, warning.WorkflowVersion, warning.Message.En);
    }
}
