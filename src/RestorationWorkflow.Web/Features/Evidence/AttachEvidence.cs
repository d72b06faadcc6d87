using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Evidence;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Evidence;

/// <summary>The form fields of an upload, as sent (text), checked by <see cref="AttachEvidence.Validate"/>.</summary>
public sealed record AttachEvidenceRequest(string? Code, string? SiteId, string? ExpectedVersion);

/// <summary>
/// Attaches a received evidence file to a STAPER code or a site: managers of the project (EditProject), on the
/// current version, not while the project is under review, closed or suspended. The row gets the next version of
/// its file name on its target; the audit event records the target, name, media type, size, SHA-256 and version.
/// </summary>
public sealed class AttachEvidence(Guid projectId, AttachEvidenceRequest request, string fileName, StagedFile? staged)
    : ProjectCommand(projectId, ParseVersion(request?.ExpectedVersion))
{
    public override string Action => AuditActions.EvidenceAttached;

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    /// <summary>Set once the content was sniffed (before the command runs).</summary>
    public EvidenceKind? Kind { get; set; }

    /// <summary>The row added, once applied.</summary>
    public EvidenceFile? Added { get; private set; }

    public string FileName { get; } = fileName;

    public string? Code => string.IsNullOrWhiteSpace(request.Code) ? null : request.Code.Trim();

    public Guid? SiteId => Guid.TryParse(request.SiteId, out var id) ? id : null;

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (staged is null)
            errors["file"] = ["A file is required (multipart field 'file')."];
        else if (staged.Size == 0)
            errors["file"] = ["The file is empty."];
        var hasCode = !string.IsNullOrWhiteSpace(request.Code);
        var hasSite = !string.IsNullOrWhiteSpace(request.SiteId);
        if (hasCode && hasSite)
            errors["code"] = ["Give either a STAPER code or a siteId, not both."];
        else if (!hasCode && !hasSite)
            errors["code"] = ["A STAPER code (A1…D3) or a siteId is required."];
        else if (hasCode && !StaperSteps.IsKnown(request.Code!.Trim()))
            errors["code"] = [$"'{TextRules.Quote(request.Code)}' is not a STAPER step code (A1…D3)."];
        else if (hasSite && SiteId is null)
            errors["siteId"] = [$"'{TextRules.Quote(request.SiteId)}' is not a site id (a GUID)."];
        if (!string.IsNullOrWhiteSpace(request.ExpectedVersion) && ExpectedVersion is null)
            errors["expectedVersion"] = ["The expectedVersion must be a whole number."];
    }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (staged is null || Kind is null)
            throw new InvalidOperationException("The file must be received and sniffed before it is attached.");
        if (ProjectContentRules.Frozen(context.Definition, context.Project, new("no evidence can be attached", "不能再附加证据文件")) is { } frozen)
            return frozen;
        if (SiteId is { } siteId && !await context.Services.GetRequiredService<ISiteLookup>().SiteExistsAsync(context.Project.Id, siteId, ct))
        {
            return CommandResult<Project>.Unprocessable($"The project has no site {siteId}.",
                [new UnmetGuard("siteId", new LocalizedText($"The project has no site {siteId}.", $"本项目没有地块 {siteId}。"))]);
        }
        var target = Code is { } code ? EvidenceFile.CodeTarget(code) : EvidenceFile.SiteTarget(SiteId!.Value);
        var latest = await context.Db.EvidenceFiles.AsNoTracking()
            .Where(e => e.ProjectId == context.Project.Id && e.TargetKey == target && e.FileName == FileName)
            .MaxAsync(e => (int?)e.Version, ct) ?? 0;
        var row = EvidenceFile.Create(Guid.CreateVersion7(context.Now), context.Project.Id, Code, SiteId, FileName, Kind, staged.Size, staged.Sha256,
            staged.StorageName, latest + 1, context.Caller.UserId, context.Now);
        context.Db.EvidenceFiles.Add(row);
        Added = row;
        if (Code is not null)
            context.Audit.Set("evidence.code", Code);
        else
            context.Audit.Set("evidence.siteId", SiteId);
        context.Audit
            .Set("evidence.fileName", row.FileName)
            .Set("evidence.mediaType", row.MediaType)
            .Set("evidence.size", row.Size)
            .Set("evidence.sha256", row.Sha256)
            .Set("evidence.version", row.Version);
        return null;
    }

    private static int? ParseVersion(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var version) ? version : null;
}
