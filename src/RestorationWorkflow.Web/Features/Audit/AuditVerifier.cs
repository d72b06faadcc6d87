using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;

namespace RestorationWorkflow.Web.Features.Audit;

/// <summary>Read-side queries over audit events: the one "events of a project" query.</summary>
public static class AuditQueries
{
    /// <summary>A project's events, oldest first, untracked.</summary>
    public static IQueryable<AuditEvent> EventsOf(AppDbContext db, Guid projectId)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == projectId).OrderBy(e => e.Sequence);
    }
}

/// <summary>
/// Recomputes projects' audit chains and keeps each one's last result (<see cref="AuditVerification"/>): the
/// verify endpoint and the auditor overview (a page of projects at a time, in one query for their events).
/// </summary>
public sealed class AuditVerifier(AppDbContext db, TimeProvider time)
{
    /// <summary>Verifies one project's chain against the head its row records, and stores the result.</summary>
    public async Task<AuditVerification?> VerifyAsync(Guid projectId, string verifiedById, CancellationToken ct)
    {
        var results = await VerifyAsync([projectId], verifiedById, ct);
        return results.GetValueOrDefault(projectId);
    }

    /// <summary>
    /// Verifies the chains of <paramref name="projectIds"/> with a fixed number of queries (heads, events,
    /// stored results) and one SaveChanges, whatever their number.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, AuditVerification>> VerifyAsync(IReadOnlyCollection<Guid> projectIds, string verifiedById, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(projectIds);
        var ids = projectIds.Distinct().ToList();
        var heads = await db.Projects.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.AuditSequence, p.AuditHead }).ToListAsync(ct);
        var events = (await db.AuditEvents.AsNoTracking().Where(e => ids.Contains(e.ProjectId))
                .OrderBy(e => e.ProjectId).ThenBy(e => e.Sequence).ToListAsync(ct))
            .ToLookup(e => e.ProjectId);
        var stored = await db.AuditVerifications.Where(v => ids.Contains(v.ProjectId)).ToDictionaryAsync(v => v.ProjectId, ct);
        var now = time.GetUtcNow();
        var results = new Dictionary<Guid, AuditVerification>();
        foreach (var head in heads)
        {
            var chain = events[head.Id].ToList();
            var broken = AuditChain.Verify(chain, head.AuditSequence, head.AuditHead);
            if (!stored.TryGetValue(head.Id, out var verification))
            {
                verification = new AuditVerification { ProjectId = head.Id };
                db.AuditVerifications.Add(verification);
            }
            verification.VerifiedAt = now;
            verification.VerifiedById = verifiedById;
            verification.Valid = broken is null;
            verification.EventCount = chain.Count;
            verification.HeadSequence = head.AuditSequence;
            verification.HeadHash = head.AuditHead;
            verification.BrokenSequence = broken?.Sequence;
            verification.BrokenEventId = broken?.EventId;
            verification.Reason = broken?.Reason;
            results[head.Id] = verification;
        }
        await db.SaveChangesAsync(ct);
        return results;
    }
}
