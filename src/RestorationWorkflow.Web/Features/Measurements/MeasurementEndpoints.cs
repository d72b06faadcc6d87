using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary>The multipart form of an import, for the OpenAPI document (the endpoint also takes a text/csv body).</summary>
public sealed record MeasurementImportForm(IFormFile File, int? ExpectedVersion);

/// <summary>
/// <c>/api/projects/{id}/targets/{targetId}/measurements</c>: a target's monitoring results and progress, recorded,
/// corrected and deleted through the command path; <c>/api/projects/{id}/measurements/import</c>: a CSV file of
/// measurements, previewed or imported all at once.
/// </summary>
public static class MeasurementEndpoints
{
    private const string Tag = "Measurements";
    private const string TagDescription = "Monitoring results (D1): measurements per target, CSV import, progress against the expected trajectory.";

    public static IEndpointRouteBuilder MapMeasurements(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/projects/{id:guid}")
            .WithApiTag(Tag, TagDescription)
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/targets/{targetId:guid}/measurements", ListAsync).WithName("ListMeasurements")
            .WithSummary("The target's measurements, oldest first, with its progress: onTrack, atRisk, offTrack or noData.")
            .Produces<MeasurementListDto>().ProducesProblem(404);

        group.MapPost("/targets/{targetId:guid}/measurements", RecordAsync).WithName("RecordMeasurement")
            .WithSummary("Records a measurement; its unit must be the target's. From planning on, and after closure.")
            .Produces<MeasurementSavedDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapPut("/targets/{targetId:guid}/measurements/{measurementId:guid}", CorrectAsync).WithName("CorrectMeasurement")
            .WithSummary("Corrects a measurement; each changed field is audited old → new.")
            .Produces<MeasurementSavedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapDelete("/targets/{targetId:guid}/measurements/{measurementId:guid}", DeleteAsync).WithName("DeleteMeasurement")
            .WithSummary("Deletes a measurement recorded in error (?expectedVersion=).")
            .Produces<MeasurementDeletedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapPost("/measurements/import", ImportAsync).WithName("ImportMeasurements").ExemptFromRequestLimit()
            .WithSummary("A CSV file (multipart field file, or a text/csv body) of columns target, date, value, unit, method, measuredBy, notes. "
                + "preview=true reads every row and lists every bad row with its line, importing nothing; preview=false (with expectedVersion) imports "
                + "all rows in one audited command, or none when any row is bad (422 with badRows).")
            .Accepts<MeasurementImportForm>("multipart/form-data", "text/csv")
            .DisableAntiforgery()
            .Produces<ImportPreviewDto>().Produces<ImportResultDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422);
        return app;
    }

    private static async Task<IResult> ListAsync(Guid id, Guid targetId, ProjectReader reader, MeasurementReader measurements, AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var monitoring = await measurements.ForTargetAsync(id, targetId, ct);
        if (monitoring is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"Project {id} has no restoration target {targetId}.");
        var names = await ProjectQueries.UserNamesAsync(db, monitoring.Measurements.Select(m => m.RecordedById), ct);
        return TypedResults.Ok(new MeasurementListDto(id, targetId, monitoring.Target.Unit, monitoring.Target.Details.Sentence, read.Project.Version,
            ProgressDto.From(monitoring.Progress, measurements.Thresholds), [.. monitoring.Measurements.Select(m => ToDto(m, names))]));
    }

    private static async Task<IResult> RecordAsync(Guid id, Guid targetId, MeasurementRequest request, ProjectCommands commands, MeasurementReader measurements,
        AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = new RecordMeasurement(id, targetId, request.ToInput(), request.ExpectedVersion);
        var result = await commands.ExecuteAsync(command, user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        var saved = await SavedAsync(result.Value!, command, measurements, db, ct);
        return TypedResults.Created($"/api/projects/{id}/targets/{targetId}/measurements/{command.Measurement!.Id}", saved);
    }

    private static async Task<IResult> CorrectAsync(Guid id, Guid targetId, Guid measurementId, MeasurementRequest request, ProjectCommands commands,
        MeasurementReader measurements, AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = new CorrectMeasurement(id, targetId, measurementId, request.ToInput(), request.ExpectedVersion);
        var result = await commands.ExecuteAsync(command, user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        return TypedResults.Ok(await SavedAsync(result.Value!, command, measurements, db, ct));
    }

    private static async Task<IResult> DeleteAsync(Guid id, Guid targetId, Guid measurementId, int? expectedVersion, ProjectCommands commands,
        MeasurementReader measurements, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new DeleteMeasurement(id, targetId, measurementId, expectedVersion), user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        var monitoring = await measurements.ForTargetAsync(id, targetId, ct);
        return TypedResults.Ok(new MeasurementDeletedDto(id, targetId, measurementId, ProgressDto.From(monitoring!.Progress, measurements.Thresholds), result.Value!.Version));
    }

    private static async Task<MeasurementSavedDto> SavedAsync(Project project, MeasurementCommand command, MeasurementReader measurements, AppDbContext db, CancellationToken ct)
    {
        var monitoring = await measurements.ForTargetAsync(project.Id, command.TargetId, ct);
        var names = await ProjectQueries.UserNamesAsync(db, [command.Measurement!.RecordedById], ct);
        return new MeasurementSavedDto(ToDto(command.Measurement, names), ProgressDto.From(monitoring!.Progress, measurements.Thresholds), project.Version);
    }

    public static MeasurementDto ToDto(RestorationWorkflow.Projects.Targets.Measurement m, IReadOnlyDictionary<string, string> names)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(names);
        return new(m.Id, m.ProjectId, m.TargetId, m.MeasuredOn, m.Value, m.Unit, m.Method, m.MeasuredBy, m.EvidenceFileId, m.Notes,
            names.GetValueOrDefault(m.RecordedById, m.RecordedById), m.RecordedAt);
    }

    private static async Task<IResult> ImportAsync(Guid id, bool? preview, int? expectedVersion, HttpContext http, MeasurementImport import,
        ClaimsPrincipal user, CancellationToken ct)
    {
        // Refuse before reading the body: an unknown project, a caller who may not import into it.
        if (await import.PrecheckAsync(id, user, ct) is { } refused)
            return refused.ToHttp(_ => TypedResults.Ok());
        var options = import.Options;
        var maxRequest = options.ImportMaxBytes + 64 * 1024;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxRequest;
        if (http.Request.ContentLength > maxRequest)
            return FileProblem(StatusCodes.Status413PayloadTooLarge, import.TooLarge());
        if (preview is null)
            return Invalid("preview", new("Say whether to preview (preview=true: nothing is written) or import (preview=false).", "请说明是预览（preview=true：不写入任何数据）还是导入（preview=false）。"));

        byte[]? bytes;
        try
        {
            var read = await ReadFileAsync(http.Request, options.ImportMaxBytes, ct);
            if (read.Refusal is { } refusal)
                return refusal;
            bytes = read.Bytes;
            expectedVersion ??= read.ExpectedVersion;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return FileProblem(StatusCodes.Status413PayloadTooLarge, import.TooLarge());
        }
        catch (InvalidDataException)
        {
            return Invalid("file", new("The multipart body is malformed.", "multipart 请求体格式错误。"));
        }
        if (bytes is null)
            return FileProblem(StatusCodes.Status413PayloadTooLarge, import.TooLarge());
        if (bytes.Length == 0)
            return Invalid("file", new("The file is empty.", "文件为空。"));
        if (MeasurementCsv.Decode(bytes) is not { } csv)
            return Invalid("file", new("The file is not UTF-8 text; save it as CSV UTF-8.", "文件不是 UTF-8 文本；请另存为 UTF-8 编码的 CSV。"));

        var outcome = await import.RunAsync(id, csv, preview.Value, expectedVersion, user, ct);
        if (outcome.RefusedForRows)
            return BadRows(outcome);
        if (!outcome.Result.Succeeded)
            return outcome.Result.ToHttp(_ => TypedResults.Ok());
        var project = outcome.Result.Value!;
        if (!preview.Value)
            return TypedResults.Created($"/api/projects/{id}/targets", new ImportResultDto(outcome.Imported, project.Version));
        var check = outcome.Check!;
        return TypedResults.Ok(new ImportPreviewDto(true, check.Rows.Count + check.BadRows.Count, check.BadRows.Count == 0,
            [.. check.Rows.Select(ImportDtos.ToDto)], [.. check.BadRows.Select(ImportDtos.ToDto)], project.Version));
    }

    /// <summary>The file's bytes (null when larger than <paramref name="maxBytes"/>) from a text/csv body or a multipart field <c>file</c>.</summary>
    private static async Task<(byte[]? Bytes, int? ExpectedVersion, IResult? Refusal)> ReadFileAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType))
            return (null, null, Unsupported());
        if (contentType.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
            return (await ReadCappedAsync(request.Body, maxBytes, ct), null, null);
        if (!contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            return (null, null, Unsupported());
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
        byte[]? file = null;
        var sawFile = false;
        int? version = null;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (name == "file")
            {
                if (sawFile)
                    return (null, null, Invalid("file", new("Send one file per import.", "每次导入只能发送一个文件。")));
                sawFile = true;
                file = await ReadCappedAsync(section.Body, maxBytes, ct);
                if (file is null)
                    return (null, null, null);
            }
            else if (name == "expectedVersion")
            {
                var text = await ReadCappedAsync(section.Body, 32, ct);
                if (text is null || !int.TryParse(System.Text.Encoding.ASCII.GetString(text), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                    return (null, null, Invalid("expectedVersion", new("expectedVersion must be a whole number.", "expectedVersion 必须是整数。")));
                version = parsed;
            }
        }
        if (!sawFile)
            return (null, null, Invalid("file", new("The multipart form needs the field file (the CSV).", "multipart 表单需要字段 file（CSV 文件）。")));
        return (file, version, null);
    }

    private static async Task<byte[]?> ReadCappedAsync(Stream body, long maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Unsupported() => FileProblem(StatusCodes.Status415UnsupportedMediaType, new(
        "Send the CSV as text/csv, or as multipart/form-data with the field file.", "请以 text/csv 发送 CSV，或以 multipart/form-data 的 file 字段发送。"));

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult BadRows(ImportOutcome outcome)
    {
        var culture = CultureInfo.CurrentUICulture;
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The conditions are not met.",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.21",
            Detail = outcome.Result.Detail,
        };
        problem.Extensions["code"] = outcome.Result.Code;
        problem.Extensions["unmet"] = outcome.Result.Reasons.Select(r => new { guard = r.Guard, message = r.Message.For(culture) }).ToList();
        problem.Extensions["badRows"] = outcome.Check!.BadRows.Select(ImportDtos.ToDto).ToList();
        return TypedResults.Problem(problem);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Invalid(string field, LocalizedText message)
    {
        var text = message.For(CultureInfo.CurrentUICulture);
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [text] }, detail: text, title: "The request is not valid.",
            extensions: new Dictionary<string, object?> { ["code"] = CommandErrorCodes.Validation });
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult FileProblem(int status, LocalizedText message)
    {
        var text = message.For(CultureInfo.CurrentUICulture);
        var problem = new ProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status413PayloadTooLarge ? "The file is too large." : "The file is not of an accepted kind.",
            Detail = text,
        };
        problem.Extensions["errors"] = new Dictionary<string, string[]> { ["file"] = [text] };
        return TypedResults.Problem(problem);
    }
}

public static class MeasurementsFeature
{
    /// <summary>Monitoring results: the settings (validated at start-up), the reader, the CSV import, and the targets' kept status.</summary>
    public static IHostApplicationBuilder AddMeasurements(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<MonitoringOptions>().Bind(builder.Configuration.GetSection(MonitoringOptions.Section))
            .Validate(o => o.Thresholds.Problem() is null, "Monitoring:OffTrackBelow and Monitoring:AtRiskBelow must satisfy 0 ≤ OffTrackBelow ≤ AtRiskBelow ≤ 10; Monitoring:MaintainTolerancePercent 0–100.")
            .Validate(o => o.ImportMaxKilobytes is > 0 and <= 65536, "Monitoring:ImportMaxKilobytes must be between 1 and 65536.")
            .Validate(o => o.ImportMaxRows is > 0 and <= 1_000_000, "Monitoring:ImportMaxRows must be between 1 and 1000000.")
            .ValidateOnStart();
        // The import page reads its form through MVC: its body limits follow the import's, so that a file somewhat too
        // large gets the page's message rather than the server's bare 413 (the confirmation carries the text as a field).
        var maxKilobytes = builder.Configuration.GetValue<int?>($"{MonitoringOptions.Section}:ImportMaxKilobytes") ?? new MonitoringOptions().ImportMaxKilobytes;
        var maxRequest = maxKilobytes * 1024L * 4 + 64 * 1024;
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(o => o.Conventions.AddPageApplicationModelConvention("/Measurements/Import", page =>
        {
            page.Filters.Add(new RequestSizeLimitAttribute(maxRequest));
            page.Filters.Add(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = maxRequest, ValueLengthLimit = (int)Math.Min(int.MaxValue, maxRequest) });
        }));
        // The upload's time goes to the client's network: the page does not wait for a turn (decision 0059).
        builder.Services.ExemptPageFromRequestLimit("/Measurements/Import");
        builder.Services.AddScoped<MeasurementReader>();
        builder.Services.AddScoped<MeasurementImport>();
        builder.Services.AddScoped<IProjectChangeHook, LatestMeasurementKeeper>();
        // Each target's status kept on its row (decision 0044): decided before every save, and at start-up for rows
        // decided under other thresholds. The persistence layer adds every registered save interceptor to the context.
        builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.ISaveChangesInterceptor, TargetProgressKeeper>();
        builder.Services.AddSingleton<TargetProgressBackfill>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TargetProgressBackfill>());
        return builder;
    }
}
