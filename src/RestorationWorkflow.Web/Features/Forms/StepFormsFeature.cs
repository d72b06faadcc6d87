using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Forms;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Forms;

/// <summary>
/// The evidence attached to a step, for <c>GET /api/projects/{id}/steps/{code}</c> and the step page. The
/// evidence feature registers the real reader; until then a step has none.
/// </summary>
public interface IStepEvidenceReader
{
    Task<IReadOnlyList<object>> ForStepAsync(Guid projectId, string code, CancellationToken ct);
}

/// <summary>No evidence, for a host without the evidence feature (which registers the real reader).</summary>
public sealed class NoStepEvidence : IStepEvidenceReader
{
    public Task<IReadOnlyList<object>> ForStepAsync(Guid projectId, string code, CancellationToken ct) => Task.FromResult<IReadOnlyList<object>>([]);
}

/// <summary>The statuses of a project's step forms for the <c>checklistComplete</c> guard.</summary>
public sealed class StepFormGuardDataProvider(ProjectStore store, StepFormCatalog forms) : IGuardDataProvider
{
    public GuardDataKey Key => ProjectGuardData.StepForms;

    /// <inheritdoc />
    public bool Stamped => true;

    public async Task<object> LoadAsync(Project project, CancellationToken cancellationToken) =>
        await store.StepFormStatusesAsync(project, forms, cancellationToken);
}

public sealed record StepFormDto(string Code, string Label, int FormVersion, string Status, JsonObject Values, IReadOnlyList<string> Missing,
    IReadOnlyList<object> Evidence, int Version, DateTimeOffset? UpdatedAt);

public sealed record StepFormSavedDto(Guid ProjectId, string Code, string Status, IReadOnlyList<string> Missing, int Version);

public static class StepFormsFeature
{
    /// <summary>
    /// Loads and checks <c>Forms:Path</c> (default: <c>forms/</c> in the workflow definitions folder) now, so a bad
    /// form stops start-up naming the file and JSON path; the form-status guard data, the feedback hook and the
    /// evidence seam. Call after <c>AddWorkflows</c>.
    /// </summary>
    public static IHostApplicationBuilder AddStepForms(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var workflows = builder.Services.LastOrDefault(d => d.ServiceType == typeof(WorkflowCatalog))?.ImplementationInstance as WorkflowCatalog
            ?? throw new InvalidOperationException("AddStepForms needs the workflow catalog: call AddWorkflows first.");
        var configured = builder.Configuration["Forms:Path"];
        var workflowsFolder = builder.Configuration["Workflows:Path"];
        var folder = !string.IsNullOrWhiteSpace(configured)
            ? Path.GetFullPath(configured, builder.Environment.ContentRootPath)
            : string.IsNullOrWhiteSpace(workflowsFolder)
                ? Path.Combine(AppContext.BaseDirectory, "workflows", "forms")
                : Path.Combine(Path.GetFullPath(workflowsFolder, builder.Environment.ContentRootPath), "forms");
        builder.Services.AddSingleton(StepFormLoader.LoadFolder(folder, workflows));
        builder.Services.AddGuardDataProvider<StepFormGuardDataProvider>(ProjectGuardData.StepForms);
        builder.Services.AddScoped<ITransitionHook, FeedbackMarksFormsToReview>();
        builder.Services.TryAddSingleton<IStepEvidenceReader, NoStepEvidence>();
        return builder;
    }

    public static IEndpointRouteBuilder MapStepForms(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var forms = app.MapGroup("/api/forms")
            .WithApiTag("Forms", "The JSON Schema of each STAPER step's form: fields, types, required fields, enumerations with English and Chinese labels, units.")
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        forms.MapGet("/{code}", GetSchema).WithName("GetStepFormSchema")
            .WithSummary("The JSON Schema of a step's form (the newest version, or ?version=).")
            .Produces<JsonElement>(contentType: "application/schema+json").ProducesProblem(404);

        var steps = app.MapGroup("/api/projects/{id:guid}/steps")
            .WithApiTag("Projects", "The project registry, the STAPER step checklist, workflow transitions, the team and the state diagram.")
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        steps.MapGet("/{code}", GetStepAsync).WithName("GetStepForm")
            .WithSummary("A step's form values, status (empty, inProgress, complete, toReview), missing required fields and evidence.")
            .Produces<StepFormDto>().ProducesProblem(404);
        steps.MapPut("/{code}", PutStepAsync).WithName("UpdateStepForm")
            .WithSummary("Saves a step's form values (partial values allowed); 400 names each field and rule, 422 before the step or under review.")
            .Produces<StepFormSavedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        steps.MapPost("/{code}/confirm", ConfirmAsync).WithName("ConfirmStepForm")
            .WithSummary("Confirms a form marked to review by a feedback transition, its content unchanged.")
            .Produces<StepFormSavedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        return app;
    }

    private static IResult GetSchema(string code, int? version, StepFormCatalog catalog)
    {
        var form = version is { } v ? catalog.Find(code, v) : catalog.Latest(code);
        return form is null
            ? TypedResults.Problem(statusCode: 404, title: "Not found.",
                detail: $"No form for '{TextRules.Quote(code)}'{(version is null ? "" : $" version {version}")}; A3 and D1–D3 keep the checklist.")
            : TypedResults.Text(form.Document.GetRawText(), "application/schema+json; charset=utf-8");
    }

    private static async Task<IResult> GetStepAsync(Guid id, string code, ProjectReader reader, AppDbContext db, StepFormCatalog catalog,
        IStepEvidenceReader evidence, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var form = catalog.For(read.Project.WorkflowId, read.Project.WorkflowVersion, code);
        if (form is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"'{TextRules.Quote(code)}' has no form in this project's workflow.");
        return TypedResults.Ok(await ReadAsync(read.Project, form, db, evidence, ct));
    }

    /// <summary>A step's form as the API and the page show it.</summary>
    public static async Task<StepFormDto> ReadAsync(Project project, StepFormDefinition form, AppDbContext db, IStepEvidenceReader evidence, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(evidence);
        var row = await db.StepForms.AsNoTracking().FirstOrDefaultAsync(f => f.ProjectId == project.Id && f.Code == form.Code, ct);
        var values = StepFormRules.Parse(row?.Values);
        var check = StepFormValidator.Validate(form, JsonSerializer.SerializeToElement(values));
        return new StepFormDto(form.Code, form.Label.For(System.Globalization.CultureInfo.CurrentUICulture), row?.FormVersion is > 0 ? row.FormVersion : form.Version,
            StepFormRules.Status(row?.Status ?? StepFormStatus.Empty), values, check.Missing,
            await evidence.ForStepAsync(project.Id, form.Code, ct), project.Version, row?.UpdatedAt);
    }

    private static async Task<IResult> PutStepAsync(Guid id, string code, UpdateStepFormRequest request, ProjectCommands commands, AppDbContext db, StepFormCatalog catalog,
        ClaimsPrincipal user, CancellationToken ct) =>
        await SavedAsync(await commands.ExecuteAsync(new UpdateStepForm(id, code, request), user, ct), code, db, catalog, ct);

    private static async Task<IResult> ConfirmAsync(Guid id, string code, ConfirmStepFormRequest request, ProjectCommands commands, AppDbContext db, StepFormCatalog catalog,
        ClaimsPrincipal user, CancellationToken ct) =>
        await SavedAsync(await commands.ExecuteAsync(new ConfirmStepForm(id, code, request), user, ct), code, db, catalog, ct);

    private static async Task<IResult> SavedAsync(RestorationWorkflow.Commands.CommandResult<Project> result, string code, AppDbContext db, StepFormCatalog catalog, CancellationToken ct)
    {
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        var project = result.Value!;
        var form = catalog.For(project.WorkflowId, project.WorkflowVersion, code)!;
        var row = await db.StepForms.AsNoTracking().FirstOrDefaultAsync(f => f.ProjectId == project.Id && f.Code == code, ct);
        var check = StepFormValidator.Validate(form, JsonSerializer.SerializeToElement(StepFormRules.Parse(row?.Values)));
        return TypedResults.Ok(new StepFormSavedDto(project.Id, code, StepFormRules.Status(row?.Status ?? StepFormStatus.Empty), check.Missing, project.Version));
    }
}
