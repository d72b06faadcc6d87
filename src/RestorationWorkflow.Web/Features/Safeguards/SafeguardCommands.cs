using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Safeguards;

/// <summary>The audit actions of the safeguard review and the species list.</summary>
public static class SafeguardAuditActions
{
    public const string ReviewUpdated = "safeguards.updated";
    public const string FindingAcknowledged = "safeguards.finding-acknowledged";
    public const string SpeciesAdded = "species.added";
    public const string SpeciesUpdated = "species.updated";
    public const string SpeciesRemoved = "species.removed";
}

/// <summary>What the safeguard commands share: messages in the caller's language, free-text rules, the content-freeze rule.</summary>
public abstract class SafeguardCommand(Guid projectId, int? expectedVersion) : ProjectCommand(projectId, expectedVersion)
{
    public const string SpeciesNotFound = "species-not-found";
    public const string FindingNotFound = "safeguard-finding-not-found";
    public const int MaxText = 4000;

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    protected static string Text(string en, string zh) => new LocalizedText(en, zh).For(CultureInfo.CurrentUICulture);

    /// <summary>An optional free text of at most <paramref name="max"/> characters.</summary>
    protected static void ValidateOptional(IDictionary<string, string[]> errors, string field, string? value, int max, bool multiline)
    {
        if (value is not null && value.Trim().Length > max)
            errors[field] = [Text($"{field} may have at most {max} characters.", $"{field} 最多 {max} 个字符。")];
        else
            CreateProject.ValidateText(errors, field, value, multiline);
    }

    /// <summary>The review and the species change while the project's content may change (not closed, suspended or under review).</summary>
    protected static CommandResult<Project>? RefuseInState(ProjectCommandContext context, LocalizedText cannotChange)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ProjectContentRules.Frozen(context.Definition, context.Project, cannotChange);
    }
}

/// <summary>
/// Replaces a project's safeguard review: the answers to safeguards 1–9 (one left out is unanswered), whether the plan
/// plants or afforests, and the planting justification. Audited per field, <c>safeguards.{n}.answer</c> old → new.
/// </summary>
public sealed class UpdateSafeguardReview(Guid projectId, SafeguardReviewRequest request) : SafeguardCommand(projectId, request?.ExpectedVersion)
{
    public override string Action => SafeguardAuditActions.ReviewUpdated;

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var answers = request.Answers ?? [];
        var seen = new HashSet<int>();
        for (var i = 0; i < answers.Count; i++)
        {
            var a = answers[i];
            var at = $"answers[{i}]";
            if (a is null)
            {
                errors[at] = [Text("Each answer is an object {number, answer, note}.", "每个回答应为 {number, answer, note} 对象。")];
                continue;
            }
            if (a.Number is not (>= 1 and <= 9))
                errors[$"{at}.number"] = [Text("The number of a safeguard of Appendix I is required: 1 to 9.", "需要附录一中保障措施的编号：1 至 9。")];
            else if (!seen.Add(a.Number.Value))
                errors[$"{at}.number"] = [Text($"Safeguard {a.Number} is answered more than once; answer each safeguard once.", $"保障措施 {a.Number} 被回答了多次；每项保障措施只能回答一次。")];
            if (string.IsNullOrWhiteSpace(a.Answer))
                errors[$"{at}.answer"] = [Text("An answer is required: addressed, notApplicable or notYet.", "回答为必填项：addressed、notApplicable 或 notYet。")];
            else if (!SafeguardAnswers.IsKnown(a.Answer))
                errors[$"{at}.answer"] = [Text($"'{TextRules.Quote(a.Answer)}' is not an answer; allowed: addressed, notApplicable, notYet.",
                    $"“{TextRules.Quote(a.Answer)}”不是有效回答；可用：addressed、notApplicable、notYet。")];
            else if (a.Answer == SafeguardAnswers.NotApplicable && string.IsNullOrWhiteSpace(a.Note))
                errors[$"{at}.note"] = [Text("A safeguard marked not applicable needs the reason in its note.", "标为不适用的保障措施需要在备注中说明理由。")];
            ValidateOptional(errors, $"{at}.note", a.Note, MaxText, multiline: true);
        }
        ValidateOptional(errors, "plantingJustification", request.PlantingJustification, MaxText, multiline: true);
    }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RefuseInState(context, new("its safeguard review cannot change", "保障措施审查不能更改")) is { } refused)
            return refused;
        var db = context.Db;
        var review = await db.SafeguardReviews.FirstOrDefaultAsync(r => r.ProjectId == ProjectId, ct);
        if (review is null)
        {
            review = new SafeguardReview(ProjectId);
            db.SafeguardReviews.Add(review);
        }
        var oldPlans = review.PlansPlantingOrAfforestation;
        var oldJustification = review.PlantingJustification;
        var newJustification = string.IsNullOrWhiteSpace(request.PlantingJustification) ? null : request.PlantingJustification.Trim();
        context.Audit
            .Change("safeguards.plansPlantingOrAfforestation", oldPlans, request.PlansPlantingOrAfforestation)
            .Change("safeguards.plantingJustification", oldJustification, newJustification);
        if (oldJustification != newJustification)
        {
            // An acknowledgement pins the text it read: a changed justification needs a new one.
            var oldHash = SafeguardReview.HashOf(oldJustification);
            var acknowledged = oldHash is not null && await db.SafeguardAcknowledgements
                .AnyAsync(a => a.ProjectId == ProjectId && a.FindingId == SafeguardRules.GrasslandPlanting && a.JustificationSha256 == oldHash, ct);
            if (acknowledged)
                context.Audit.Change($"safeguards.findings.{SafeguardRules.GrasslandPlanting}.acknowledgement", "valid", "invalidated");
        }
        var changedReview = oldPlans != request.PlansPlantingOrAfforestation || oldJustification != newJustification;
        if (changedReview)
            review.Update(request.PlansPlantingOrAfforestation, newJustification, context.Now);

        var answers = await db.SafeguardAnswers.Where(a => a.ProjectId == ProjectId).ToListAsync(ct);
        var given = (request.Answers ?? []).ToDictionary(a => a.Number!.Value);
        foreach (var safeguard in AppendixI.All)
        {
            var n = safeguard.Number;
            var row = answers.FirstOrDefault(a => a.Number == n);
            var now = given.GetValueOrDefault(n);
            var newNote = string.IsNullOrWhiteSpace(now?.Note) ? null : now.Note.Trim();
            context.Audit
                .Change($"safeguards.{n}.answer", row?.Answer, now?.Answer)
                .Change($"safeguards.{n}.note", row?.Note, newNote);
            if (now is null)
            {
                if (row is not null)
                    db.SafeguardAnswers.Remove(row);
                continue;
            }
            if (row is null)
            {
                row = new SafeguardAnswer(ProjectId, n);
                db.SafeguardAnswers.Add(row);
                row.Update(now.Answer!, newNote, context.Now);
            }
            else if (row.Answer != now.Answer || row.Note != newNote)
            {
                row.Update(now.Answer!, newNote, context.Now);
            }
        }
        return null;
    }
}

/// <summary>
/// An approver acknowledges a justified finding that needs it (planting where afforestation is to be avoided), pinning
/// the justification text it read. Allowed while the project is under review too: the reviewer may acknowledge there.
/// </summary>
public sealed class AcknowledgeFinding(Guid projectId, string findingId, AcknowledgementRequest request) : SafeguardCommand(projectId, request?.ExpectedVersion)
{
    public string FindingId { get; } = findingId;

    /// <summary>The finding as it stands after the command (acknowledged), derived from the facts it read; null after a refusal.</summary>
    public SafeguardFinding? Finding { get; private set; }

    public override string Action => SafeguardAuditActions.FindingAcknowledged;

    public override IAuthorizationRequirement Operation => SafeguardOperations.Acknowledge;

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(request.Comment))
            errors["comment"] = [Text("A comment is required: say what you checked in the justification.", "评论为必填项：请说明您核查了理由中的哪些内容。")];
        else
            ValidateOptional(errors, "comment", request.Comment, MaxText, multiline: true);
    }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RefuseInState(context, new("its safeguard findings cannot be acknowledged", "不能确认保障措施审查结果")) is { Reasons: [{ Guard: "state" }, ..] } refused)
            return refused;
        var reader = context.Services.GetRequiredService<SafeguardReader>();
        var facts = await reader.FactsAsync(context.Project, ct);
        var finding = SafeguardRules.Findings(facts).FirstOrDefault(f => f.Id == FindingId);
        if (finding is null)
            return CommandResult<Project>.NotFound(FindingNotFound, $"Project {ProjectId} has no safeguard finding '{TextRules.Quote(FindingId)}' now.");
        if (!finding.NeedsAcknowledgement)
            return Unprocessable("notAcknowledgeable", new($"The finding '{finding.Id}' needs no acknowledgement; it clears when its data is settled.",
                $"审查结果“{finding.Id}”无需确认；其数据处理完毕后即消除。"));
        if (finding.Status == FindingStatus.Open)
            return Unprocessable("notJustified", new($"The finding '{finding.Id}' has no justification yet; the project team records it in the safeguard review first.",
                $"审查结果“{finding.Id}”尚无理由；须先由项目团队在保障措施审查中记录理由。"));
        if (finding.Status == FindingStatus.Acknowledged)
        {
            Finding = finding;
            return null;
        }
        var hash = SafeguardReview.HashOf(facts.Review!.PlantingJustification)!;
        var previous = facts.Acknowledgements.Where(a => a.FindingId == FindingId).OrderBy(a => a.At).LastOrDefault();
        var comment = request.Comment!.Trim();
        var acknowledgement = new SafeguardAcknowledgement(ProjectId, FindingId, hash, comment, context.Caller.UserId, context.Caller.DisplayName, context.Now);
        context.Db.SafeguardAcknowledgements.Add(acknowledgement);
        Finding = SafeguardRules.Findings(facts with { Acknowledgements = [.. facts.Acknowledgements, acknowledgement] }).First(f => f.Id == FindingId);
        var key = $"safeguards.findings.{FindingId}";
        context.Audit.Comment = comment;
        context.Audit
            .Record($"{key}.status", SafeguardReader.Code(finding.Status), SafeguardReader.Code(FindingStatus.Acknowledged))
            .Record($"{key}.acknowledgedBy", previous?.UserId, context.Caller.UserId)
            .Record($"{key}.justificationSha256", previous?.JustificationSha256, hash);
        return null;
    }

    private static CommandResult<Project> Unprocessable(string rule, LocalizedText message) =>
        CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard(rule, message)]);
}

/// <summary>What the species commands share: the request's rules and the audit fields <c>species.{id}.{field}</c>.</summary>
public abstract class SpeciesCommand(Guid projectId, int? expectedVersion) : SafeguardCommand(projectId, expectedVersion)
{
    /// <summary>The species after the command (null after a removal or a refusal).</summary>
    public PlannedSpecies? Species { get; protected set; }

    protected static readonly LocalizedText CannotChange = new("its species cannot change", "物种不能更改");

    protected static void ValidateInput(SpeciesInput input, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(input.ScientificName))
            errors["scientificName"] = [Text("A scientific name is required (for example Acacia tortilis).", "学名为必填项（例如 Acacia tortilis）。")];
        else
            ValidateOptional(errors, "scientificName", input.ScientificName, 200, multiline: false);
        ValidateOptional(errors, "commonName", input.CommonName, 200, multiline: false);
        if (input.Native is null)
            errors["native"] = [Text("Say whether the species is native here: true or false.", "请说明该物种是否为本地物种：true 或 false。")];
        if (string.IsNullOrWhiteSpace(input.Provenance))
            errors["provenance"] = [Text("A provenance is required: local, regional, other or unknown.", "种源为必填项：local、regional、other 或 unknown。")];
        else if (!SpeciesProvenances.IsKnown(input.Provenance))
            errors["provenance"] = [Text($"'{TextRules.Quote(input.Provenance)}' is not a provenance; allowed: local, regional, other, unknown.",
                $"“{TextRules.Quote(input.Provenance)}”不是有效种源；可用：local、regional、other、unknown。")];
        ValidateOptional(errors, "precautionaryJustification", input.PrecautionaryJustification, MaxText, multiline: true);
    }

    protected static SpeciesDetails DetailsOf(SpeciesInput input) =>
        new(input.ScientificName!.Trim(), string.IsNullOrWhiteSpace(input.CommonName) ? null : input.CommonName.Trim(), input.Native!.Value, input.Provenance!,
            string.IsNullOrWhiteSpace(input.PrecautionaryJustification) ? null : input.PrecautionaryJustification.Trim());

    protected static CommandResult<Project> NotFound(Guid projectId, Guid speciesId) =>
        CommandResult<Project>.NotFound(SpeciesNotFound, $"Project {projectId} has no species {speciesId}.");

    protected Task<PlannedSpecies?> FindAsync(ProjectCommandContext context, Guid speciesId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Db.PlannedSpecies.FirstOrDefaultAsync(s => s.ProjectId == ProjectId && s.Id == speciesId, ct);
    }
}

/// <summary>Adds a species to plant or reintroduce. A non-native one without a justification is accepted and raises a blocking finding.</summary>
public sealed class AddSpecies(Guid projectId, SpeciesInput input, int? expectedVersion) : SpeciesCommand(projectId, expectedVersion)
{
    public override string Action => SafeguardAuditActions.SpeciesAdded;

    public override void Validate(IDictionary<string, string[]> errors) => ValidateInput(input, errors);

    public override Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RefuseInState(context, CannotChange) is { } refused)
            return Task.FromResult<CommandResult<Project>?>(refused);
        var species = PlannedSpecies.Create(ProjectId, DetailsOf(input), context.Now);
        context.Db.PlannedSpecies.Add(species);
        var key = $"species.{species.Id}";
        context.Audit
            .Set($"{key}.scientificName", species.ScientificName)
            .Set($"{key}.commonName", species.CommonName)
            .Set($"{key}.native", species.Native)
            .Set($"{key}.provenance", species.Provenance)
            .Set($"{key}.precautionaryJustification", species.PrecautionaryJustification);
        Species = species;
        return Task.FromResult<CommandResult<Project>?>(null);
    }
}

/// <summary>Changes a species' fields.</summary>
public sealed class UpdateSpecies(Guid projectId, Guid speciesId, SpeciesInput input, int? expectedVersion) : SpeciesCommand(projectId, expectedVersion)
{
    public Guid SpeciesId { get; } = speciesId;

    public override string Action => SafeguardAuditActions.SpeciesUpdated;

    public override void Validate(IDictionary<string, string[]> errors) => ValidateInput(input, errors);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var species = await FindAsync(context, SpeciesId, ct);
        if (species is null)
            return NotFound(ProjectId, SpeciesId);
        if (RefuseInState(context, CannotChange) is { } refused)
            return refused;
        var old = species.Details;
        var now = DetailsOf(input);
        var key = $"species.{species.Id}";
        context.Audit
            .Change($"{key}.scientificName", old.ScientificName, now.ScientificName)
            .Change($"{key}.commonName", old.CommonName, now.CommonName)
            .Change($"{key}.native", old.Native, now.Native)
            .Change($"{key}.provenance", old.Provenance, now.Provenance)
            .Change($"{key}.precautionaryJustification", old.PrecautionaryJustification, now.PrecautionaryJustification);
        Species = species;
        if (context.Audit.HasChanges)
            species.Update(now, context.Now);
        return null;
    }
}

/// <summary>Removes a species; its findings go with it.</summary>
public sealed class RemoveSpecies(Guid projectId, Guid speciesId, int? expectedVersion) : SpeciesCommand(projectId, expectedVersion)
{
    public Guid SpeciesId { get; } = speciesId;

    public override string Action => SafeguardAuditActions.SpeciesRemoved;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var species = await FindAsync(context, SpeciesId, ct);
        if (species is null)
            return NotFound(ProjectId, SpeciesId);
        if (RefuseInState(context, CannotChange) is { } refused)
            return refused;
        var key = $"species.{species.Id}";
        context.Audit
            .Record($"{key}.scientificName", species.ScientificName, (string?)null)
            .Record($"{key}.commonName", species.CommonName, (string?)null)
            .Record($"{key}.native", (bool?)species.Native, (bool?)null)
            .Record($"{key}.provenance", species.Provenance, (string?)null)
            .Record($"{key}.precautionaryJustification", species.PrecautionaryJustification, (string?)null);
        context.Db.PlannedSpecies.Remove(species);
        return null;
    }
}
