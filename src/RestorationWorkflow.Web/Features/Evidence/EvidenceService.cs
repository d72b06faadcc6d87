using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Evidence;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Evidence;

/// <summary>A refusal of the file itself, before the command path: empty or missing (400), too large (413), of a kind not accepted (415).</summary>
public sealed record FileRefusal(int Status, string Detected, LocalizedText Message);

/// <summary>How an upload ended: the row, a refusal of the file, or the command path's refusal.</summary>
public sealed record EvidenceUploadResult(EvidenceFile? File, int ProjectVersion, FileRefusal? FileRefusal, CommandResult<Project>? Refusal)
{
    public bool Succeeded => File is not null;
}

/// <summary>
/// Uploads for the API and the pages alike: receive into a temp file (413 beyond the limit), check the fields
/// (400), sniff the content (415), rename the file into place, then attach it through the project command path
/// (404/403/409/422, audited, one SaveChanges). A file and its row are written together or not at all: whatever
/// fails after the file is in place — a refusal, a lost race, a failed commit — deletes it.
/// </summary>
public sealed class EvidenceService(
    ProjectCommands commands, ProjectStore store, IAuthorizationService authorization, EvidenceStorage storage, IOptions<EvidenceOptions> options)
{
    public long MaxFileBytes => options.Value.MaxFileBytes;

    public int MaxFileMegabytes => options.Value.MaxFileMegabytes;

    /// <summary>404 or 403 before a byte of the body is read; null when the caller may upload to the project.</summary>
    public async Task<CommandResult<Project>?> PrecheckAsync(Guid projectId, ClaimsPrincipal user, CancellationToken ct)
    {
        var project = await store.FindAsync(projectId, ct);
        if (project is null)
            return CommandResult<Project>.NotFound(CommandErrorCodes.ProjectNotFound, $"No project has the id {projectId}.");
        var authorized = await authorization.AuthorizeAsync(user, project, ProjectOperations.Edit);
        return authorized.Succeeded ? null : CommandResult<Project>.Forbidden(string.Join(" ", authorized.Rules().Select(r => r.Message.En)), authorized.Rules());
    }

    /// <summary>Receives one file; null when it is larger than <c>Evidence:MaxFileMegabytes</c> (nothing is kept).</summary>
    public Task<StagedFile?> ReceiveAsync(Stream content, CancellationToken ct) => storage.StageAsync(content, MaxFileBytes, ct);

    public FileRefusal TooLarge() => new(StatusCodes.Status413PayloadTooLarge, "file", new LocalizedText(
        $"The file is larger than {MaxFileMegabytes} MB.", $"文件超过 {MaxFileMegabytes} MB。"));

    /// <summary>Checks, sniffs, places and attaches <paramref name="staged"/>; it is deleted unless the row was committed.</summary>
    public async Task<EvidenceUploadResult> AttachAsync(
        Guid projectId, StagedFile? staged, string? fileName, AttachEvidenceRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var committed = false;
        try
        {
            var command = new AttachEvidence(projectId, request, EvidenceFileNames.Clean(fileName), staged);
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            command.Validate(errors);
            if (errors.Count > 0 || staged is null)
            {
                if (command.ExpectedVersion is null && !errors.ContainsKey("expectedVersion"))
                    errors["expectedVersion"] = [ProjectCommand.ExpectedVersionRequired];
                return new EvidenceUploadResult(null, 0, null, CommandResult<Project>.Invalid(errors));
            }
            SniffResult sniffed;
            await using (var content = EvidenceStorage.OpenStaged(staged))
                sniffed = EvidenceSniffer.Sniff(content);
            if (sniffed.Kind is null)
            {
                return new EvidenceUploadResult(null, 0, new FileRefusal(StatusCodes.Status415UnsupportedMediaType, sniffed.Detected, new LocalizedText(
                    $"{sniffed.Detail} Accepted: PDF, PNG, JPEG, CSV, XLSX, DOCX, GeoJSON, shapefile as ZIP.",
                    $"不接受此类文件（检测为：{sniffed.Detected}）。可接受：PDF、PNG、JPEG、CSV、XLSX、DOCX、GeoJSON、ZIP 格式的 Shapefile。")), null);
            }
            command.Kind = sniffed.Kind;
            EvidenceStorage.Place(staged);
            var result = await commands.ExecuteAsync(command, user, ct);
            if (!result.Succeeded)
                return new EvidenceUploadResult(null, 0, null, result);
            committed = command.Added is not null;
            return new EvidenceUploadResult(command.Added, result.Value!.Version, null, committed ? null : result);
        }
        finally
        {
            if (!committed)
                storage.Discard(staged);
        }
    }

    /// <summary>A project's files, newest first; filtered by code or site.</summary>
    public static Task<List<EvidenceFile>> ListAsync(AppDbContext db, Guid projectId, string? code, Guid? siteId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = db.EvidenceFiles.AsNoTracking().Where(e => e.ProjectId == projectId);
        if (!string.IsNullOrWhiteSpace(code))
            query = query.Where(e => e.Code == code);
        if (siteId is { } site)
            query = query.Where(e => e.SiteId == site);
        return query.OrderBy(e => e.Code).ThenBy(e => e.FileName).ThenByDescending(e => e.Version).ToListAsync(ct);
    }
}
