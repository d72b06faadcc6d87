using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Data;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>
/// The requests a user may decide in person, as a query — the SQL form of <see cref="ApprovalRules"/> for lists that
/// cannot load every request (the inbox, the calendar feed): open, not stale, not on hold (its project is in the
/// request's review state, not suspended from it), in a gate one of the user's roles decides, not decided by the user
/// (in person or on someone's behalf), and, where the gate keeps separation of duties, not submitted by the user nor of a
/// project whose team the user is on.
/// Separation of duties is applied in SQL to the gates that keep it in every definition version; a gate that drops it in
/// some version is left to <see cref="ApprovalRules"/>, which decides with the request's own definition.
/// </summary>
public sealed record DecidableRequests(string UserId, string[] Gates, string[] SeparatedGates)
{
    /// <summary>The gates <paramref name="isInRole"/> may decide, across every loaded definition.</summary>
    public static DecidableRequests For(string userId, Func<string, bool> isInRole, WorkflowCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(isInRole);
        ArgumentNullException.ThrowIfNull(catalog);
        var gates = catalog.All.SelectMany(d => d.Gates).Where(g => g.ApproverRoles.Any(isInRole)).Select(g => g.Id)
            .Distinct(StringComparer.Ordinal).ToArray();
        var separated = gates.Where(id => catalog.All.SelectMany(d => d.Gates).Where(g => g.Id == id).All(g => g.SeparationOfDuties)).ToArray();
        return new DecidableRequests(userId, gates, separated);
    }

    /// <summary>Whether the user decides any gate at all (else <see cref="Query"/> is empty).</summary>
    public bool Any => Gates.Length > 0;

    public IQueryable<ApprovalRequest> Query(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (me, gates, separated) = (UserId, Gates, SeparatedGates);
        // The user's own decisions and teams are small sets, each read once (IN (subquery)), not looked up again for every
        // open request (NOT EXISTS correlated with the request); the project's state is the request's OnHold flag, kept
        // by the approval lifecycle, so no project row is read. The whole filter runs on IX_ApprovalRequests_Inbox.
        var decided = db.ApprovalDecisions.Where(d => d.DeciderId == me || d.OnBehalfOfId == me).Select(d => d.RequestId);
        var teams = db.ProjectMembers.Where(m => m.UserId == me).Select(m => m.ProjectId);
        // The two flags are compared with a parameter, not negated: SQLite then seeks the index on
        // (Status, Stale, OnHold) = (?, ?, ?) and can walk it in DueAt order, where NOT "Stale" leaves it the Status prefix
        // and a sort of every open request. The gate lists are one parameter each, so the statement's text is the same on
        // every call and EF Core reuses it instead of writing it again.
        var no = false;
        return db.ApprovalRequests
            .Where(r => r.Status == ApprovalRequestStatus.Open && r.Stale == no && r.OnHold == no && EF.Parameter(gates).Contains(r.Gate))
            .Where(r => !decided.Contains(r.Id))
            .Where(r => !EF.Parameter(separated).Contains(r.Gate) || (r.SubmittedById != me && !teams.Contains(r.ProjectId)));
    }
}
