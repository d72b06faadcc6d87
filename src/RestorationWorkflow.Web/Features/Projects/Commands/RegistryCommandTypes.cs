using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>The rules of the registry fields beyond name, description, country, ecosystem types and area.</summary>
public static class RegistryValidation
{
    /// <summary>The guard name of a 422 for a code another project has: the field it concerns.</summary>
    public const string CodeRule = "code";

    public static void Validate(CreateProjectRequest request, IDictionary<string, string[]> errors, bool codeRequired)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(request.Code))
        {
            if (codeRequired)
                errors["code"] = ["The project code is required."];
        }
        else if (!ProjectRegistryRules.IsCodeWellFormed(request.Code.Trim()))
        {
            errors["code"] = [$"'{TextRules.Quote(request.Code)}' is not a project code: 1 to {ProjectRegistryRules.CodeMaxLength} letters, digits, '-', '_', '.' or '/', starting with a letter or digit (e.g. KE-2026-001)."];
        }
        Text(errors, "region", request.Region);
        Text(errors, "leadOrganisation", request.LeadOrganisation);
        if (request.Scale is not null && !ProjectScales.IsKnown(request.Scale))
            errors["scale"] = [$"'{TextRules.Quote(request.Scale)}' is not a scale; known: {string.Join(", ", ProjectScales.All.Select(s => s.Code))}."];
        if (request.Situation is not null && !ProjectSituations.IsKnown(request.Situation))
            errors["situation"] = [$"'{TextRules.Quote(request.Situation)}' is not a situation; known: {string.Join(", ", ProjectSituations.All.Select(s => s.Code))}."];
        if (request.StartDate is { } start && (start < ProjectRegistryRules.EarliestStart || start > ProjectRegistryRules.LatestStart))
            errors["startDate"] = [string.Create(CultureInfo.InvariantCulture, $"The start date must be between {ProjectRegistryRules.EarliestStart:yyyy-MM-dd} and {ProjectRegistryRules.LatestStart:yyyy-MM-dd}.")];
        if (request.LifespanYears is { } years)
        {
            if (years is < 1 or > ProjectRegistryRules.MaxLifespanYears)
                errors["lifespanYears"] = [$"The planned lifespan must be between 1 and {ProjectRegistryRules.MaxLifespanYears} years."];
            else if (request.StartDate is null)
                errors["lifespanYears"] = ["A planned lifespan needs the start date it counts from (startDate)."];
        }
        if (request.Budget is { } budget)
        {
            if (budget < 0 || budget > ProjectRegistryRules.MaxBudget)
                errors["budget"] = ["The budget must be between 0 and 1,000,000,000,000."];
            else if (budget.Scale > 2 && decimal.Round(budget, 2) != budget)
                errors["budget"] = ["The budget may have at most 2 decimal places."];
            else if (string.IsNullOrWhiteSpace(request.Currency))
                errors["currency"] = ["A budget needs its currency (ISO 4217 code such as KES, CNY or USD)."];
        }
        if (!string.IsNullOrWhiteSpace(request.Currency) && !Currencies.IsKnown(request.Currency.Trim()))
            errors["currency"] = [$"'{TextRules.Quote(request.Currency)}' is not an ISO 4217 currency code."];
    }

    public static string NormalizeCode(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Trim().ToUpperInvariant();
    }

    public static Task<bool> CodeTakenAsync(AppDbContext db, string code, Guid? exceptProject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return exceptProject is { } id
            ? db.Projects.AsNoTracking().AnyAsync(p => p.Code == code && p.Id != id, ct)
            : db.Projects.AsNoTracking().AnyAsync(p => p.Code == code, ct);
    }

    /// <summary>422 naming <c>code</c>: the request is well-formed, but another project has the code.</summary>
    public static CommandResult<Project> DuplicateCode(string code)
    {
        var message = new LocalizedText($"Another project has the code {TextRules.Quote(code)}; project codes are unique.", $"已有其他项目使用代码 {TextRules.Quote(code)}；项目代码不能重复。");
        return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard(CodeRule, message)]);
    }

    public static ProjectDetails Details(CreateProjectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ProjectDetails(request.Name!, request.Description ?? "", request.Country!, request.EcosystemTypes ?? [], request.AreaHectares ?? 0);
    }

    public static ProjectRegistry Registry(CreateProjectRequest request, string code)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ProjectRegistry(code, request.Region ?? "", request.Scale, request.NaturallyLowTreeCover ?? false, request.Situation,
            request.StartDate, request.LifespanYears, request.Budget, string.IsNullOrWhiteSpace(request.Currency) ? null : request.Currency,
            request.LeadOrganisation ?? "");
    }

    /// <summary>422 when the project's state freezes its content (closed, cancelled, suspended, or under review), else null.</summary>
    public static CommandResult<Project>? Frozen(WorkflowDefinition definition, Project project) =>
        ProjectContentRules.Frozen(definition, project, new("its registry cannot change", "登记信息不能更改"));

    /// <summary>Equal registry values: decimals by amount, lists by their items.</summary>
    public static bool Same(object? a, object? b) => (a, b) switch
    {
        (decimal x, decimal y) => x == y,
        (IEnumerable<string> x, IEnumerable<string> y) when a is not string => x.SequenceEqual(y, StringComparer.Ordinal),
        _ => Equals(a, b),
    };

    private static void Text(IDictionary<string, string[]> errors, string field, string? value)
    {
        if (value is { Length: > ProjectRegistryRules.TextMaxLength })
            errors[field] = [$"At most {ProjectRegistryRules.TextMaxLength} characters."];
        else
            CreateProject.ValidateText(errors, field, value);
    }
}

/// <summary>Replaces a project's registry fields; each field that changes is audited old → new.</summary>
public sealed class UpdateProjectRegistry(Guid projectId, UpdateProjectRequest request) : ProjectCommand(projectId, request?.ExpectedVersion)
{
    public override string Action => AuditActions.ProjectUpdated;

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    public override void Validate(IDictionary<string, string[]> errors) => CreateProject.ValidateDetails(request.ToFields(), errors, codeRequired: true);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var project = context.Project;
        if (RegistryValidation.Frozen(context.Definition, project) is { } frozen)
            return frozen;
        var fields = request.ToFields();
        var code = RegistryValidation.NormalizeCode(fields.Code!);
        if (code != project.Code && await RegistryValidation.CodeTakenAsync(context.Db, code, project.Id, ct))
            return RegistryValidation.DuplicateCode(code);
        var details = RegistryValidation.Details(fields);
        // Once a project has sites its area is their sum (the site commands keep it): a different figure is refused.
        if (details.AreaHectares != project.AreaHectares && await context.Db.Sites.AnyAsync(s => s.ProjectId == project.Id, ct))
        {
            var message = new LocalizedText(
                $"The project's area is the sum of its sites ({project.AreaHectares} ha); change the sites, not the area.",
                $"项目面积为其各地块面积之和（{project.AreaHectares} 公顷）；请修改地块，而不是面积。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("areaHectares", message)]);
        }
        var before = ProjectRegistryFields.Of(project);
        project.UpdateDetails(details);
        project.UpdateRegistry(RegistryValidation.Registry(fields, code));
        foreach (var (field, after) in ProjectRegistryFields.Of(project))
        {
            if (!RegistryValidation.Same(before[field], after))
                context.Audit.Record(field, before[field], after);
        }
        return null;
    }
}

/// <summary>
/// Puts a person on the team as manager (an existing user with the ProjectManager role) or member (any existing
/// user). One role per person: a member made manager is no longer a member, and the other way round, but the last
/// manager cannot become a member (422).
/// </summary>
public sealed class AddTeamMember(Guid projectId, AddTeamMemberRequest request) : ProjectCommand(projectId, request?.ExpectedVersion)
{
    public override string Action => AuditActions.MemberAdded;

    public override IAuthorizationRequirement Operation => ProjectOperations.ManageTeam;

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(request.Email))
            errors["email"] = ["The e-mail of the person to add is required."];
        else if (request.Email.Length > 256)
            errors["email"] = ["An e-mail has at most 256 characters."];
        else
            CreateProject.ValidateText(errors, "email", request.Email);
        if (ProjectMapping.ParseRole(request.Role) is null)
            errors["role"] = [$"'{TextRules.Quote(request.Role)}' is not a team role; known: manager, member."];
    }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = context.Db;
        var role = ProjectMapping.ParseRole(request.Role)!.Value;
        var normalized = request.Email!.Trim().ToUpperInvariant();
        var person = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
        if (person is null)
            return CommandResult<Project>.Invalid("email", $"No user has the e-mail '{TextRules.Quote(request.Email)}'.");
        if (role == ProjectMemberRole.Manager)
        {
            var isManager = await db.UserRoles.AnyAsync(ur => ur.UserId == person.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == AppRoles.ProjectManager), ct);
            if (!isManager)
                return CommandResult<Project>.Invalid("email", $"'{TextRules.Quote(request.Email)}' is not a project manager.");
        }
        var project = context.Project;
        var current = project.RoleOf(person.Id);
        if (current == role)
            return null;
        if (current == ProjectMemberRole.Manager && project.ManagerCount == 1)
            return TeamRules.LastManager();
        project.SetTeamRole(person.Id, role, context.Now);
        context.Audit.Added(TeamRules.Field(role), person.Email);
        if (current is { } old)
            context.Audit.Removed(TeamRules.Field(old), person.Email);
        return null;
    }
}

/// <summary>Takes a person off the team (404 when they are not on it); the last manager stays (422).</summary>
public sealed class RemoveTeamMember(Guid projectId, string userId, int? expectedVersion) : ProjectCommand(projectId, expectedVersion)
{
    public override string Action => AuditActions.MemberRemoved;

    public override IAuthorizationRequirement Operation => ProjectOperations.ManageTeam;

    public override CommandResult<Project>? Resolve(ProjectCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Project.RoleOf(userId) is null
            ? CommandResult<Project>.NotFound(TeamRules.MemberNotFound, $"'{TextRules.Quote(userId)}' is not on the team of this project.")
            : null;
    }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var project = context.Project;
        var role = project.RoleOf(userId)!.Value;
        if (role == ProjectMemberRole.Manager && project.ManagerCount == 1)
            return TeamRules.LastManager();
        var email = await context.Db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        project.RemoveFromTeam(userId);
        context.Audit.Removed(TeamRules.Field(role), email ?? userId);
        return null;
    }
}

/// <summary>The team's audit fields and refusals.</summary>
public static class TeamRules
{
    public const string MemberNotFound = "team-member-not-found";

    public const string LastManagerRule = "lastManager";

    /// <summary>The audit field of a role: <c>managers</c> or <c>members</c> (what the audit replay reads).</summary>
    public static string Field(ProjectMemberRole role) => role == ProjectMemberRole.Member ? "members" : "managers";

    public static CommandResult<Project> LastManager()
    {
        var message = new LocalizedText("A project keeps at least one manager: add another manager first.", "项目至少要有一名项目经理：请先添加另一名项目经理。");
        return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard(LastManagerRule, message)]);
    }
}
