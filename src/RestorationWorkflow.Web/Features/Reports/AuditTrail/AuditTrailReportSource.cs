using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reports.AuditTrail;

/// <summary>
/// Loads what the audit-trail report shows: the project, its events (the one "events of a project" query,
/// <see cref="AuditQueries.EventsOf"/>) and a fresh verification of its chain (<see cref="AuditVerifier"/>, which also
/// keeps the result for the auditors' overview). The caller has already checked that the requester may read the project.
/// </summary>
public sealed class AuditTrailReportSource(AppDbContext db, AuditVerifier verifier, WorkflowCatalog catalog, TimeProvider time)
{
    /// <summary>The report's input, or <c>null</c> when the project does not exist.</summary>
    public async Task<AuditTrailReportInput?> LoadAsync(Guid projectId, string language, string requestedById, string requestedByName, CancellationToken ct)
    {
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null)
            return null;
        var events = await AuditQueries.EventsOf(db, projectId).ToListAsync(ct);
        var verification = (await verifier.VerifyAsync(projectId, requestedById, ct))!;
        var culture = language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? new CultureInfo("zh-Hans") : new CultureInfo("en");

        // Each event's states are named by the workflow version it was recorded under.
        string StateLabel(string? code, string workflowId, int version) =>
            code is null ? "" : catalog.Find(workflowId, version)?.FindState(code)?.Label.For(culture) ?? code;

        var entries = events.Select(e => new AuditTrailEntry(
            e.Sequence,
            e.At,
            e.ActorName,
            AuditEventText.Describe(e, culture, code => StateLabel(code, e.WorkflowId, e.WorkflowVersion)),
            e.FromState is null ? null : StateLabel(e.FromState, e.WorkflowId, e.WorkflowVersion),
            e.ToState is null ? null : StateLabel(e.ToState, e.WorkflowId, e.WorkflowVersion),
            e.Comment,
            [.. DetailsModel.Changes(e.Changes).Select(c => new AuditTrailChange(c.Field, c.Old, c.New))],
            e.Hash)).ToList();

        var definition = catalog.Find(project.WorkflowId, project.WorkflowVersion);
        return new AuditTrailReportInput(
            culture.Name,
            time.GetUtcNow(),
            requestedByName,
            new AuditTrailProject(project.Id, project.Code, project.Name, StateLabel(project.State, project.WorkflowId, project.WorkflowVersion),
                $"{definition?.Title.For(culture) ?? project.WorkflowId} v{project.WorkflowVersion.ToString(culture)}"),
            new AuditTrailChain(verification.HeadSequence, verification.HeadHash, verification.Valid, verification.EventCount,
                verification.BrokenSequence, verification.Reason, verification.VerifiedAt),
            entries);
    }
}
