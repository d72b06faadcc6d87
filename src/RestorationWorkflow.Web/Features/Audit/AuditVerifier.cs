using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;

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
public sealed class AuditVerifier(AppDbContext db, AuditHeadSeal seal, TimeProvider time)
{
    /// <summary>Verifies one project's chain against the head its row records, and stores the result.</summary>
    public async Task<AuditVerification?> VerifyAsync(Guid projectId, string verifiedById, CancellationToken ct)
    {
        var results = await VerifyAsync([projectId], verifiedById, ct);
        return results.GetValueOrDefault(projectId);
    }

    /// <summary>
    /// Verifies the chains of <paramref name="projectIds"/> with a fixed number of queries (heads, events, teams,
    /// checklists, step forms, registry fields, the users that team events name, stored results) and one SaveChanges, whatever their number. Each chain is recomputed
    /// (<see cref="AuditChain"/>), its head checked against the seal (<see cref="AuditHeadSeal"/>), and its events
    /// replayed against the stored rows (<see cref="AuditReplay"/>); the first problem is reported.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, AuditVerification>> VerifyAsync(IReadOnlyCollection<Guid> projectIds, string verifiedById, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(projectIds);
        var ids = projectIds.Distinct().ToList();
        // The whole rows: the heads, and the registry fields the replay compares.
        var heads = await db.Projects.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(ct);
        var team = await db.ProjectMembers.AsNoTracking().Where(m => ids.Contains(m.ProjectId)).Select(m => new { m.ProjectId, m.UserId, m.Role }).ToListAsync(ct);
        var managers = team.Where(m => m.Role == ProjectMemberRole.Manager).ToLookup(m => m.ProjectId, m => m.UserId);
        var members = team.Where(m => m.Role == ProjectMemberRole.Member).ToLookup(m => m.ProjectId, m => m.UserId);
        var registries = heads.ToDictionary(p => p.Id, ProjectRegistryFields.Values);
        var checklists = (await db.ChecklistItems.AsNoTracking().Where(i => ids.Contains(i.ProjectId)).ToListAsync(ct))
            .ToLookup(i => i.ProjectId);
        var stepForms = (await db.StepForms.AsNoTracking().Where(f => ids.Contains(f.ProjectId))
                .Select(f => new { f.ProjectId, f.Code, f.Status, f.Values }).ToListAsync(ct))
            .ToLookup(f => f.ProjectId);
        var events = (await db.AuditEvents.AsNoTracking().Where(e => ids.Contains(e.ProjectId))
                .OrderBy(e => e.ProjectId).ThenBy(e => e.Sequence).ToListAsync(ct))
            .ToLookup(e => e.ProjectId);
        // Only the e-mails that these chains' team events name, not every user.
        var addedEmails = events.SelectMany(chain => chain)
            .SelectMany(AuditReplay.TeamEmails).Select(m => m.Trim().ToUpperInvariant()).Distinct().ToList();
        var userIdByEmail = addedEmails.Count == 0
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await db.Users.AsNoTracking().Where(u => u.NormalizedEmail != null && addedEmails.Contains(u.NormalizedEmail))
                .ToDictionaryAsync(u => u.NormalizedEmail!, u => u.Id, StringComparer.Ordinal, ct);
        var stored = await db.AuditVerifications.Where(v => ids.Contains(v.ProjectId)).ToDictionaryAsync(v => v.ProjectId, ct);
        var now = time.GetUtcNow();
        var results = new Dictionary<Guid, AuditVerification>();
        foreach (var head in heads)
        {
            var chain = events[head.Id].ToList();
            var broken = AuditChain.Verify(chain, head.AuditSequence, head.AuditHead);
            if (broken is null && seal.Enabled && !seal.Verify(head.Id, head.AuditSequence, head.AuditHead, head.AuditHeadMac))
            {
                broken = new AuditChainBreak(chain.Count > 0 ? chain[^1].Id : 0, head.AuditSequence,
                    "The chain's head does not carry a valid seal: the head was rewound or rewritten outside the app.");
            }
            if (broken is null)
            {
                var rows = new ProjectRows(head.State, head.WorkflowId, head.WorkflowVersion, head.Version, [.. managers[head.Id]],
                    checklists[head.Id].ToDictionary(i => i.Code, i => (i.Status, i.Note), StringComparer.Ordinal),
                    [.. members[head.Id]], registries[head.Id],
                    stepForms[head.Id].ToDictionary(f => f.Code, f => new StoredStepForm(ProjectMapping.FormStatus(f.Status), ParseValues(f.Values)), StringComparer.Ordinal));
                if (AuditReplay.Compare(chain, rows, email => userIdByEmail.GetValueOrDefault(email.Trim().ToUpperInvariant())) is { } mismatch)
                    broken = new AuditChainBreak(0, 0, "The stored project does not match its history: " + mismatch);
            }
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
            verification.BrokenSequence = broken is { Sequence: > 0 } ? broken.Sequence : null;
            verification.BrokenEventId = broken is { EventId: > 0 } ? broken.EventId : null;
            verification.Reason = broken?.Reason;
            results[head.Id] = verification;
        }
        await db.SaveChangesAsync(ct);
        return results;
    }

    /// <summary>A stored form's values; text that is not a JSON object reads as a string, which no replay matches.</summary>
    private static System.Text.Json.JsonElement ParseValues(string values)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(string.IsNullOrEmpty(values) ? "{}" : values);
            return document.RootElement.Clone();
        }
        catch (System.Text.Json.JsonException)
        {
            return System.Text.Json.JsonSerializer.SerializeToElement(values);
        }
    }
}
