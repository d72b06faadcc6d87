using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using RestorationWorkflow.Data;
using RestorationWorkflow.Evidence;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Evidence;

public sealed record EvidenceFileDto(
    Guid Id, Guid ProjectId, string? Code, Guid? SiteId, string FileName, string MediaType, long Size, string Sha256, int Version,
    string UploadedBy, DateTimeOffset UploadedAt, string DownloadUrl);

public sealed record EvidenceCreatedDto(Guid Id, string FileName, string MediaType, long Size, string Sha256, int Version, int ProjectVersion);

public sealed record EvidenceListDto(Guid ProjectId, int ProjectVersion, IReadOnlyList<EvidenceFileDto> Items);

/// <summary>The multipart form of an upload, for the OpenAPI document (the endpoint reads the body as a stream).</summary>
public sealed record EvidenceUploadForm(IFormFile File, string? Code, Guid? SiteId, int ExpectedVersion);

/// <summary><c>/api/projects/{id}/evidence</c> and <c>/api/evidence/{id}/file</c>: evidence files (bearer-only, like all of /api).</summary>
public static class EvidenceEndpoints
{
    private const int MaxFieldChars = 1024;

    public static IEndpointRouteBuilder MapEvidence(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/projects")
            .WithApiTag("Evidence", "Evidence files attached to STAPER codes and sites: uploaded, listed and downloaded.")
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        projects.MapPost("/{id:guid}/evidence", UploadAsync)
            .WithName("UploadEvidence").ExemptFromRequestLimit()
            .WithSummary("Attaches a file (multipart: file, code or siteId, expectedVersion); its kind is decided by its content.")
            .Accepts<EvidenceUploadForm>("multipart/form-data")
            .DisableAntiforgery()
            .Produces<EvidenceCreatedDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422);

        projects.MapGet("/{id:guid}/evidence", ListAsync)
            .WithName("ListEvidence").WithSummary("The project's evidence files; filter by code or siteId.")
            .Produces<EvidenceListDto>().ProducesValidationProblem().ProducesProblem(404);

        app.MapGet("/api/evidence/{id:guid}/file", DownloadAsync)
            .WithApiTag("Evidence", "Evidence files attached to STAPER codes and sites: uploaded, listed and downloaded.")
            .RequireAuthorization(Policies.ReadProjects)
            .WithName("DownloadEvidence").ExemptFromRequestLimit().WithSummary("The stored bytes, as an attachment with the stored media type.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(404);
        return app;
    }

    private static async Task<IResult> UploadAsync(Guid id, HttpContext http, EvidenceService service, ClaimsPrincipal user, CancellationToken ct)
    {
        // Refuse before reading a byte of the body: an unknown project, a caller who may not change it, a body too large.
        if (await service.PrecheckAsync(id, user, ct) is { } refused)
            return refused.ToHttp(_ => TypedResults.Ok());
        var maxRequest = service.MaxFileBytes + EvidenceOptions.FormOverheadBytes;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxRequest;
        if (http.Request.ContentLength > maxRequest)
            return Refusal(service.TooLarge());
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return Refusal(new FileRefusal(StatusCodes.Status415UnsupportedMediaType, "request",
                new("Send the upload as multipart/form-data with the fields file, code or siteId, and expectedVersion.", "请以 multipart/form-data 上传，字段为 file、code 或 siteId 以及 expectedVersion。")));
        }

        StagedFile? staged = null;
        string? fileName = null, code = null, siteId = null, expectedVersion = null;
        var handedOver = false;
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (disposition.IsFileDisposition())
                {
                    if (name != "file")
                        continue;
                    if (staged is not null)
                        return Invalid("file", "Send one file per upload.");
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    staged = await service.ReceiveAsync(section.Body, ct);
                    if (staged is null)
                        return Refusal(service.TooLarge());
                    continue;
                }
                var value = await ReadFieldAsync(section.Body, ct);
                if (value is null)
                    return Invalid(name ?? "form", $"A form field may have at most {MaxFieldChars} characters.");
                switch (name)
                {
                    case "code": code = value; break;
                    case "siteId": siteId = value; break;
                    case "expectedVersion": expectedVersion = value; break;
                }
            }
            handedOver = true;
            var result = await service.AttachAsync(id, staged, fileName, new AttachEvidenceRequest(code, siteId, expectedVersion), user, ct);
            if (result.FileRefusal is { } fileRefusal)
                return Refusal(fileRefusal);
            if (!result.Succeeded)
                return result.Refusal!.ToHttp(_ => TypedResults.Ok());
            var file = result.File!;
            return TypedResults.Created($"/api/evidence/{file.Id}/file",
                new EvidenceCreatedDto(file.Id, file.FileName, file.MediaType, file.Size, file.Sha256, file.Version, result.ProjectVersion));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refusal(service.TooLarge());
        }
        catch (InvalidDataException ex)
        {
            // A malformed multipart body (a header too long, a boundary missing).
            return Invalid("file", $"The multipart body is malformed: {ex.Message}");
        }
        finally
        {
            if (!handedOver && staged is not null)
                http.RequestServices.GetRequiredService<EvidenceStorage>().Discard(staged);
        }
    }

    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        var buffer = new char[MaxFieldChars + 1];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
        if (read > MaxFieldChars)
            return null;
        return new string(buffer, 0, read);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The request is not valid.",
            extensions: new Dictionary<string, object?> { ["code"] = RestorationWorkflow.Commands.CommandErrorCodes.Validation });

    /// <summary>413 or 415 (or 400) as a ProblemDetails naming <c>file</c> and what was detected.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refusal(FileRefusal refusal)
    {
        var message = refusal.Message.For(CultureInfo.CurrentUICulture);
        var problem = new ProblemDetails
        {
            Status = refusal.Status,
            Title = refusal.Status switch
            {
                StatusCodes.Status413PayloadTooLarge => "The file is too large.",
                StatusCodes.Status415UnsupportedMediaType => "The file is not of an accepted kind.",
                _ => "The request is not valid.",
            },
            Detail = message,
        };
        problem.Extensions["errors"] = new Dictionary<string, string[]> { ["file"] = [message] };
        problem.Extensions["detectedKind"] = refusal.Detected;
        return TypedResults.Problem(problem);
    }

    private static async Task<IResult> ListAsync(Guid id, string? code, Guid? siteId, ProjectReader reader, AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (code is not null && !RestorationWorkflow.Projects.StaperSteps.IsKnown(code))
            return Invalid("code", $"'{TextRules.Quote(code)}' is not a STAPER step code (A1…D3).");
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var files = await EvidenceService.ListAsync(db, id, code, siteId, ct);
        var names = await ProjectQueries.UserNamesAsync(db, files.Select(f => f.UploadedById), ct);
        return TypedResults.Ok(new EvidenceListDto(id, read.Project.Version, [.. files.Select(f => ToDto(f, names))]));
    }

    public static EvidenceFileDto ToDto(EvidenceFile file, IReadOnlyDictionary<string, string> names)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(names);
        return new(file.Id, file.ProjectId, file.Code, file.SiteId, file.FileName, file.MediaType, file.Size, file.Sha256, file.Version,
            names.GetValueOrDefault(file.UploadedById, file.UploadedById), file.UploadedAt, $"/api/evidence/{file.Id}/file");
    }

    private static async Task<IResult> DownloadAsync(Guid id, HttpContext http, ProjectReader reader, AppDbContext db, EvidenceStorage storage, ClaimsPrincipal user, CancellationToken ct)
    {
        var file = await db.EvidenceFiles.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (file is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"No evidence file has the id {id}.");
        var read = await reader.ReadAsync(file.ProjectId, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var stream = storage.OpenRead(file.StorageName);
        if (stream is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"The bytes of evidence file {id} are missing from the storage.");
        SetDownloadHeaders(http.Response, file.DownloadName);
        return TypedResults.Stream(stream, file.MediaType);
    }

    /// <summary><c>Content-Disposition: attachment</c> with an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987), and nosniff.</summary>
    public static void SetDownloadHeaders(HttpResponse response, string fileName)
    {
        ArgumentNullException.ThrowIfNull(response);
        var disposition = new ContentDispositionHeaderValue("attachment") { FileName = AsciiName(fileName) };
        disposition.FileNameStar = fileName;
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "private, no-store";
    }

    /// <summary>Letters, digits and <c>._-()</c> (space as <c>_</c>), anything else as <c>_</c>.</summary>
    public static string AsciiName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '(' or ')' ? c : '_');
        return builder.ToString();
    }
}
