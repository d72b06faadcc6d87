using System.Security.Claims;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.People;

/// <summary>
/// <c>/api/projects/{id}/stakeholders</c>, <c>…/participation</c> and <c>…/consents</c>: a project's people,
/// changed through the project command path (every write with <c>expectedVersion</c>, audited).
/// </summary>
public static class PeopleEndpoints
{
    public static IEndpointRouteBuilder MapPeople(this IEndpointRouteBuilder app)
    {
        MapStakeholders(app);
        MapParticipation(app);
        MapConsents(app);
        return app;
    }

    private static RouteGroupBuilder Group(IEndpointRouteBuilder app, string path, string tag, string description) =>
        app.MapGroup($"/api/projects/{{id:guid}}/{path}")
            .WithApiTag(tag, description)
            .RequireAuthorization(RestorationWorkflow.Identity.Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    private static void MapStakeholders(IEndpointRouteBuilder app)
    {
        var group = Group(app, "stakeholders", "Stakeholders",
            "A project's stakeholders (A3). contact is personal data: null with contactMasked true unless the caller is on the project's team or an administrator.");
        group.MapGet("/", async (Guid id, ProjectReader reader, PeopleReader people, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var read = await reader.ReadAsync(id, user, ct);
            if (!read.Ok)
                return read.Refusal;
            var see = PeopleReader.CanSeeContact(read.Project, user);
            var items = await people.StakeholdersAsync(id, ct);
            return TypedResults.Ok(new PeopleListDto<StakeholderDto>(id, read.Project.Version, [.. items.Select(s => PeopleReader.ToDto(read.Project, s, see))]));
        }).WithName("ListStakeholders").WithSummary("The project's stakeholders (contact masked for callers outside the team).")
            .Produces<PeopleListDto<StakeholderDto>>().ProducesProblem(404);

        group.MapPost("/", async (Guid id, StakeholderRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var command = new AddStakeholder(id, request);
            return (await commands.ExecuteAsync(command, user, ct)).ToHttp(p =>
                TypedResults.Created($"/api/projects/{id}/stakeholders/{command.Stakeholder!.Id}", PeopleReader.ToDto(p, command.Stakeholder, true)));
        }).WithName("AddStakeholder").WithSummary("Adds a stakeholder: name, group, isIplc, contact; 400 names each bad field.")
            .Produces<StakeholderDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapPut("/{itemId:guid}", async (Guid id, Guid itemId, StakeholderRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var command = new UpdateStakeholder(id, itemId, request);
            return (await commands.ExecuteAsync(command, user, ct)).ToHttp(p => TypedResults.Ok(PeopleReader.ToDto(p, command.Stakeholder!, true)));
        }).WithName("UpdateStakeholder").WithSummary("Changes a stakeholder.")
            .Produces<StakeholderDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapDelete("/{itemId:guid}", async (Guid id, Guid itemId, int? expectedVersion, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            (await commands.ExecuteAsync(new RemoveStakeholder(id, itemId, expectedVersion), user, ct)).ToHttp(p => TypedResults.Ok(new PeopleItemRemovedDto(id, itemId, p.Version))))
            .WithName("RemoveStakeholder").WithSummary("Removes a stakeholder without consent records (?expectedVersion=).")
            .Produces<PeopleItemRemovedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
    }

    private static void MapParticipation(IEndpointRouteBuilder app)
    {
        var group = Group(app, "participation", "Participation",
            "A project's participation events: date, STAPER step, method, purpose, attendance by gender and by IPLC membership, outcome, evidence file.");
        group.MapGet("/", async (Guid id, ProjectReader reader, PeopleReader people, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var read = await reader.ReadAsync(id, user, ct);
            if (!read.Ok)
                return read.Refusal;
            var items = await people.ParticipationAsync(id, ct);
            return TypedResults.Ok(new PeopleListDto<ParticipationDto>(id, read.Project.Version, [.. items.Select(e => PeopleReader.ToDto(read.Project, e))]));
        }).WithName("ListParticipation").WithSummary("The project's participation events, oldest first.")
            .Produces<PeopleListDto<ParticipationDto>>().ProducesProblem(404);

        group.MapPost("/", async (Guid id, ParticipationRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var command = new AddParticipation(id, request);
            return (await commands.ExecuteAsync(command, user, ct)).ToHttp(p =>
                TypedResults.Created($"/api/projects/{id}/participation/{command.Event!.Id}", PeopleReader.ToDto(p, command.Event)));
        }).WithName("AddParticipation").WithSummary("Records a participation event; 400 names each bad field.")
            .Produces<ParticipationDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapPut("/{itemId:guid}", async (Guid id, Guid itemId, ParticipationRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var command = new UpdateParticipation(id, itemId, request);
            return (await commands.ExecuteAsync(command, user, ct)).ToHttp(p => TypedResults.Ok(PeopleReader.ToDto(p, command.Event!)));
        }).WithName("UpdateParticipation").WithSummary("Changes a participation event.")
            .Produces<ParticipationDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapDelete("/{itemId:guid}", async (Guid id, Guid itemId, int? expectedVersion, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            (await commands.ExecuteAsync(new RemoveParticipation(id, itemId, expectedVersion), user, ct)).ToHttp(p => TypedResults.Ok(new PeopleItemRemovedDto(id, itemId, p.Version))))
            .WithName("RemoveParticipation").WithSummary("Removes a participation event (?expectedVersion=).")
            .Produces<PeopleItemRemovedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
    }

    private static void MapConsents(IEndpointRouteBuilder app)
    {
        var group = Group(app, "consents", "Consent",
            "Prior and informed consent of each IPLC stakeholder (A3) by scope; a withdrawal suspends the project; approvers verify records.");
        group.MapGet("/", async (Guid id, ProjectReader reader, PeopleReader people, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var read = await reader.ReadAsync(id, user, ct);
            if (!read.Ok)
                return read.Refusal;
            var names = (await people.StakeholdersAsync(id, ct)).ToDictionary(s => s.Id, s => s.Name);
            var items = await people.ConsentsAsync(id, ct);
            return TypedResults.Ok(new PeopleListDto<ConsentDto>(id, read.Project.Version,
                [.. items.Select(c => PeopleReader.ToDto(read.Project, c, names.GetValueOrDefault(c.StakeholderId, "")))]));
        }).WithName("ListConsents").WithSummary("The project's consent records.")
            .Produces<PeopleListDto<ConsentDto>>().ProducesProblem(404);

        group.MapPost("/", async (Guid id, ConsentRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var command = new AddConsent(id, request);
            var result = await commands.ExecuteAsync(command, user, ct);
            return result.ToHttp(p => TypedResults.Created($"/api/projects/{id}/consents/{command.Consent!.Id}", PeopleReader.ToDto(p, command.Consent, command.StakeholderName)));
        }).WithName("AddConsent").WithSummary("Records an IPLC stakeholder's consent (scopes, outcome granted | conditional | withheld, date, conditions, evidence); 422 names stakeholderId for a stakeholder who is not IPLC.")
            .Produces<ConsentDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapPut("/{itemId:guid}", async (Guid id, Guid itemId, ConsentRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var command = new UpdateConsent(id, itemId, request);
            return (await commands.ExecuteAsync(command, user, ct)).ToHttp(p => TypedResults.Ok(PeopleReader.ToDto(p, command.Consent!, command.StakeholderName)));
        }).WithName("UpdateConsent").WithSummary("Changes a consent record (its verification is cleared).")
            .Produces<ConsentDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapDelete("/{itemId:guid}", async (Guid id, Guid itemId, int? expectedVersion, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
            (await commands.ExecuteAsync(new RemoveConsent(id, itemId, expectedVersion), user, ct)).ToHttp(p => TypedResults.Ok(new PeopleItemRemovedDto(id, itemId, p.Version))))
            .WithName("RemoveConsent").WithSummary("Removes a consent record that was not withdrawn (?expectedVersion=).")
            .Produces<PeopleItemRemovedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapPost("/{itemId:guid}/withdrawal", async (Guid id, Guid itemId, ConsentWithdrawalRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var command = new WithdrawConsent(id, itemId, request);
            return (await commands.ExecuteAsync(command, user, ct)).ToHttp(p => TypedResults.Ok(PeopleReader.ToDto(p, command.Consent!, command.StakeholderName)));
        }).WithName("WithdrawConsent").WithSummary("Records that IPLC withdrew this consent {date, reason} and suspends the project at once (WithdrawConsent), in one audited change.")
            .Produces<ConsentDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapPost("/{itemId:guid}/verification", async (Guid id, Guid itemId, ConsentVerificationRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var command = new VerifyConsent(id, itemId, request?.ExpectedVersion);
            return (await commands.ExecuteAsync(command, user, ct)).ToHttp(p => TypedResults.Ok(PeopleReader.ToDto(p, command.Consent!, command.StakeholderName)));
        }).WithName("VerifyConsent").WithSummary("An approver verifies the consent record (sets verifiedBy).")
            .Produces<ConsentDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
    }
}
