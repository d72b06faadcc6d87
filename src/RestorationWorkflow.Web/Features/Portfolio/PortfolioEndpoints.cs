using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Portfolio;

/// <summary>
/// <c>/api/portfolio</c>: the dashboard's figures and its CSV exports, in the caller's scope (<see cref="ProjectScope"/>);
/// <c>/api/projects/{id}/export.json</c>: one project without personal data (<see cref="ProjectExport"/>).
/// </summary>
public static class PortfolioEndpoints
{
    public static IEndpointRouteBuilder MapPortfolio(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/portfolio")
            .WithApiTag("Portfolio", "The portfolio dashboard's figures (hectares under restoration by ecosystem type, step and state; targets by status; overdue items; projects per country; recent decisions) and its CSV exports.")
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/", GetAsync).WithName("GetPortfolio")
            .WithSummary("The dashboard's figures over the projects the caller sees (all for approvers, auditors, administrators; their own for project managers); filter by country, ecosystemType and the start-date period startFrom/startTo (YYYY-MM-DD).")
            .Produces<PortfolioDto>().ProducesValidationProblem();

        group.MapGet("/projects.csv", ProjectsCsvAsync).WithName("ExportPortfolioProjects")
            .WithSummary("The portfolio table as CSV (UTF-8 with a byte order mark): one row per project with its figures; the same filters and scope.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem();

        group.MapGet("/measurements.csv", MeasurementsCsvAsync).WithName("ExportPortfolioMeasurements")
            .WithSummary("Every measurement of the projects in the portfolio as CSV (UTF-8 with a byte order mark), streamed; the same filters and scope.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem();

        app.MapGet("/api/projects/{id:guid}/export.json", ExportProjectAsync)
            .WithApiTag("Portfolio", "The portfolio dashboard's figures and exports.")
            .RequireAuthorization(Policies.ReadProjects)
            .WithName("ExportProject")
            .WithSummary("One project for sharing results: registry, state, checklist, sites, targets with progress, measurements, participation and consent counts, transitions; never personal data (names, contacts, actors, free text about people).")
            .Produces<ExportedProject>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    private static async Task<Results<Ok<PortfolioDto>, ValidationProblem>> GetAsync(
        [AsParameters] PortfolioQuery query, PortfolioService portfolio, WorkflowCatalog catalog, ClaimsPrincipal user, CancellationToken ct)
    {
        var filter = query.Filter;
        var errors = filter.Validate(catalog);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The request is not valid.");
        var figures = await portfolio.FiguresAsync(filter, user, ct);
        return TypedResults.Ok(PortfolioDto.From(figures, filter, user, catalog, "/api/projects"));
    }

    private static async Task<IResult> ProjectsCsvAsync(
        [AsParameters] PortfolioQuery query, PortfolioService portfolio, PortfolioCsv csv, WorkflowCatalog catalog, ClaimsPrincipal user, CancellationToken ct)
    {
        var filter = query.Filter;
        var errors = filter.Validate(catalog);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The request is not valid.");
        var projects = await portfolio.ProjectsAsync(filter, user, ct);
        return TypedResults.Stream(stream => csv.WriteProjectsAsync(stream, projects, ct), PortfolioCsv.ContentType, "portfolio-projects.csv");
    }

    private static async Task<IResult> MeasurementsCsvAsync(
        [AsParameters] PortfolioQuery query, PortfolioService portfolio, PortfolioCsv csv, WorkflowCatalog catalog, ClaimsPrincipal user, CancellationToken ct)
    {
        var filter = query.Filter;
        var errors = filter.Validate(catalog);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The request is not valid.");
        var projects = await portfolio.ProjectsAsync(filter, user, ct);
        return TypedResults.Stream(stream => csv.WriteMeasurementsAsync(stream, projects, ct), PortfolioCsv.ContentType, "portfolio-measurements.csv");
    }

    private static async Task<IResult> ExportProjectAsync(Guid id, ProjectReader reader, ProjectExport export, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var exported = await export.BuildAsync(read.Project, ct);
        return TypedResults.Json(exported, statusCode: 200, contentType: "application/json");
    }
}

/// <summary>The dashboard's query parameters.</summary>
public sealed record PortfolioQuery(
    [property: FromQuery(Name = "country")] string? Country,
    [property: FromQuery(Name = "ecosystemType")] string? EcosystemType,
    [property: FromQuery(Name = "startFrom")] string? StartFrom,
    [property: FromQuery(Name = "startTo")] string? StartTo)
{
    public PortfolioFilter Filter => new(Country, EcosystemType, StartFrom, StartTo);
}

/// <summary>The projects a caller's portfolio covers, and their figures (through the result cache, <see cref="PortfolioCache"/>).</summary>
public sealed class PortfolioService(ProjectFilters filters, PortfolioReader reader, PortfolioCache cache, AppDbContext db, TimeProvider time)
{
    /// <summary>The projects matching <paramref name="filter"/> (validated first) in the caller's scope.</summary>
    public Task<IQueryable<Project>> ProjectsAsync(PortfolioFilter filter, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filters.ApplyAsync(ProjectScope.For(user, filter.Search), user, ct);
    }

    /// <summary>The dashboard's figures: from the cache when nothing it reads changed since (same scope, filters, day and stamp).</summary>
    public async Task<PortfolioFigures> FiguresAsync(PortfolioFilter filter, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(user);
        if (!cache.Enabled)
            return await cache.GetOrComputeAsync(null, async () => await reader.ReadAsync(await ScopeAsync(filter, user, ct), ct), ct);
        var key = new PortfolioCacheKey(PortfolioCache.ScopeOf(user), filter, DuePlan.Day(time.GetUtcNow()), await PortfolioCache.StampAsync(db, ct));
        return await cache.GetOrComputeAsync(key, async () => await reader.ReadAsync(await ScopeAsync(filter, user, ct), ct), ct);
    }

    private async Task<PortfolioProjects> ScopeAsync(PortfolioFilter filter, ClaimsPrincipal user, CancellationToken ct)
    {
        // Every project: a caller who sees them all, no filter given (the queries then skip the per-row project lookups);
        // a team: a caller who sees their own, no filter given (rows matched against the team's membership rows alone).
        var seesAll = ProjectScope.SeesAll(user);
        var unfiltered = !filter.Values().Any();
        var scans = await filters.ApplyAsync(ProjectScope.For(user, filter.Search), user, ct, teamAsList: true);
        return new PortfolioProjects(await ProjectsAsync(filter, user, ct), scans, seesAll && unfiltered,
            !seesAll && unfiltered ? filters.TeamOf(user) : null);
    }
}

public static class PortfolioFeature
{
    /// <summary>
    /// The portfolio: its reader, the recent-decisions reader (<see cref="IPortfolioDecisions"/>: the adaptive-management
    /// decisions and the other decisive transitions, <see cref="TransitionDecisions"/>), exports, map and filters.
    /// </summary>
    public static IHostApplicationBuilder AddPortfolio(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddScoped<ProjectFilters>();
        services.AddScoped<PortfolioTargets>();
        services.AddScoped<IPortfolioDecisions, TransitionDecisions>();
        services.AddScoped<PortfolioReader>();
        services.AddScoped<PortfolioService>();
        services.AddOptions<PortfolioOptions>().Bind(builder.Configuration.GetSection(PortfolioOptions.Section))
            .Validate(o => o.CacheEntries is >= 0 and <= 100_000, "Portfolio:CacheEntries must be between 0 (no cache) and 100000.")
            .Validate(o => o.Computations is >= 0 and <= 1_000, "Portfolio:Computations must be between 0 (one per processor) and 1000.")
            .ValidateOnStart();
        services.AddSingleton<PortfolioCache>();
        services.AddScoped<PortfolioCsv>();
        services.AddScoped<PortfolioMap>();
        services.AddScoped<ProjectExport>();
        return builder;
    }
}
