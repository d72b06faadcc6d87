using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>
/// Canonical JSON: object properties sorted by ordinal name, no white space, numbers and strings as
/// System.Text.Json writes them. The same content always gives the same bytes, so its SHA-256 identifies it.
/// </summary>
public static class CanonicalJson
{
    public static string Serialize(JsonNode? node) => Encoding.UTF8.GetString(Utf8(node).WrittenSpan);

    /// <summary>The canonical text and its <see cref="Sha256(string)"/>, hashed from the bytes as written.</summary>
    public static (string Canonical, string Hash) SerializeAndHash(JsonNode? node)
    {
        var utf8 = Utf8(node).WrittenSpan;
        return (Encoding.UTF8.GetString(utf8), Convert.ToHexStringLower(SHA256.HashData(utf8)));
    }

    private static System.Buffers.ArrayBufferWriter<byte> Utf8(JsonNode? node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(8192);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Write(writer, node);
        return buffer;
    }

    public static string Sha256(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                WriteProperties(writer, obj);
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                    Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>
    /// An object's properties by ordinal name. A snapshot has thousands of them, most in objects of two to ten, so
    /// they are sorted in a pooled array, and not at all when they are already in order.
    /// </summary>
    private static void WriteProperties(Utf8JsonWriter writer, JsonObject obj)
    {
        var count = obj.Count;
        if (count == 0)
            return;
        var properties = System.Buffers.ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Rent(count);
        try
        {
            var sorted = true;
            var i = 0;
            foreach (var property in obj)
            {
                if (i > 0 && string.CompareOrdinal(properties[i - 1].Key, property.Key) > 0)
                    sorted = false;
                properties[i++] = property;
            }
            if (!sorted)
                Array.Sort(properties, 0, count, ByName.Instance);
            for (i = 0; i < count; i++)
            {
                writer.WritePropertyName(properties[i].Key);
                Write(writer, properties[i].Value);
            }
        }
        finally
        {
            Array.Clear(properties, 0, count);
            System.Buffers.ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Return(properties);
        }
    }

    /// <summary>Ordinal order of property names; a JSON object's names are unique, so the sort need not be stable.</summary>
    private sealed class ByName : IComparer<KeyValuePair<string, JsonNode?>>
    {
        public static readonly ByName Instance = new();

        public int Compare(KeyValuePair<string, JsonNode?> x, KeyValuePair<string, JsonNode?> y) => string.CompareOrdinal(x.Key, y.Key);
    }

    /// <summary>Every leaf of a JSON document by its path (<c>consents.3f…outcome</c>), for diffs.</summary>
    public static IReadOnlyDictionary<string, string> Flatten(string json)
    {
        var leaves = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
            return leaves;
        using var document = JsonDocument.Parse(json);
        Flatten(document.RootElement, "", leaves);
        return leaves;
    }

    private static void Flatten(JsonElement element, string path, IDictionary<string, string> leaves)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var any = false;
                foreach (var property in element.EnumerateObject())
                {
                    any = true;
                    Flatten(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", leaves);
                }
                if (!any && path.Length > 0)
                    leaves[path] = "{}";
                break;
            case JsonValueKind.Array:
                // Arrays of scalars are one value (ecosystem types, scopes); arrays of objects do not occur in snapshots.
                leaves[path] = element.GetRawText();
                break;
            case JsonValueKind.String:
                leaves[path] = element.GetString()!;
                break;
            default:
                leaves[path] = element.GetRawText();
                break;
        }
    }
}

/// <summary>One difference between two snapshots: the path, the old value (null: added) and the new one (null: removed).</summary>
public sealed record SnapshotChange(string Section, string Path, string? Old, string? New);

public static class SnapshotDiff
{
    /// <summary>What changed from <paramref name="older"/> to <paramref name="newer"/>, path by path.</summary>
    public static IReadOnlyList<SnapshotChange> Between(string? older, string newer)
    {
        var before = CanonicalJson.Flatten(older ?? "");
        var after = CanonicalJson.Flatten(newer);
        var changes = new List<SnapshotChange>();
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            before.TryGetValue(path, out var old);
            after.TryGetValue(path, out var @new);
            if (!string.Equals(old, @new, StringComparison.Ordinal))
                changes.Add(new SnapshotChange(path.Split('.')[0], path, old, @new));
        }
        return changes;
    }
}

/// <summary>
/// Reads the sections a gate covers into one canonical JSON snapshot. Each section is keyed by stable ids, so a
/// diff names the record that changed. What an approver does during the review (verifying a consent record,
/// acknowledging a safeguard finding) is not content and is left out; personal contact data is left out too.
/// A snapshot is built when a request opens, when its approvals are read and when it is decided, about ten queries
/// each: they are compiled once (<see cref="SectionQueries"/>), not translated again on every build.
/// </summary>
public sealed class ApprovalSnapshotBuilder(AppDbContext db)
{
    public async Task<(string Snapshot, string Hash)> BuildAsync(Project project, GateDefinition gate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(gate);
        var queries = CompiledPerModel.For<SectionQueries>(db.Model);
        var root = new JsonObject();
        foreach (var section in ApprovalSections.Of(gate))
            root[section] = await ReadAsync(queries, project, section, ct);
        return CanonicalJson.SerializeAndHash(root);
    }

    private async Task<JsonNode> ReadAsync(SectionQueries queries, Project project, string section, CancellationToken ct)
    {
        var id = project.Id;
        switch (section)
        {
            case ApprovalSections.Registry:
                return Object(ProjectRegistryFields.Of(project).Select(kv => (kv.Key, Value(kv.Value))));
            case ApprovalSections.Team:
                var members = await ListAsync(queries.Team(db, id), ct);
                return Object(members.Select(m => (m.UserId, (JsonNode?)JsonValue.Create(m.Role.ToString().ToLowerInvariant()))));
            case ApprovalSections.Checklist:
                var items = await ListAsync(queries.Checklist(db, id), ct);
                return Object(items.Select(i => (i.Code, (JsonNode?)new JsonObject { ["status"] = i.Status.ToString(), ["note"] = i.Note ?? "" })));
            case ApprovalSections.Forms:
                var forms = await ListAsync(queries.Forms(db, id), ct);
                return Object(forms.Select(f => (f.Code, (JsonNode?)new JsonObject
                {
                    ["status"] = f.Status.ToString(),
                    ["formVersion"] = f.FormVersion,
                    ["values"] = JsonNode.Parse(string.IsNullOrEmpty(f.Values) ? "{}" : f.Values),
                })));
            case ApprovalSections.Sites:
                var sites = await ListAsync(queries.Sites(db, id), ct);
                return Object(sites.Select(s => (Key(s.Id), (JsonNode?)new JsonObject
                {
                    ["name"] = s.Name, ["ecosystemType"] = s.EcosystemType, ["tenure"] = s.Tenure, ["boundarySha256"] = s.BoundaryHash,
                    ["declaredHectares"] = s.DeclaredHectares, ["computedHectares"] = s.ComputedHectares,
                })));
            case ApprovalSections.Stakeholders:
                // The contact is personal data shown to the team only: never in a snapshot approvers read.
                var stakeholders = await ListAsync(queries.Stakeholders(db, id), ct);
                return Object(stakeholders.Select(s => (Key(s.Id), (JsonNode?)new JsonObject { ["name"] = s.Name, ["group"] = s.Group, ["isIplc"] = s.IsIplc })));
            case ApprovalSections.Participation:
                var events = await ListAsync(queries.Participation(db, id), ct);
                return Object(events.Select(e => (Key(e.Id), (JsonNode?)new JsonObject
                {
                    ["date"] = Date(e.Date), ["stepCode"] = e.StepCode, ["method"] = e.Method, ["purpose"] = e.Purpose,
                    ["women"] = e.Women, ["men"] = e.Men, ["otherGender"] = e.OtherGender, ["iplcMembers"] = e.IplcMembers,
                    ["nonIplcMembers"] = e.NonIplcMembers, ["outcome"] = e.Outcome, ["evidenceFileId"] = e.EvidenceFileId?.ToString(),
                })));
            case ApprovalSections.Consents:
                // Verification is what the consent gate's approver does: not part of what they review.
                var consents = await ListAsync(queries.Consents(db, id), ct);
                return Object(consents.Select(c => (Key(c.Id), (JsonNode?)WithRenewal(new JsonObject
                {
                    ["stakeholderId"] = c.StakeholderId.ToString(), ["scopes"] = new JsonArray([.. c.Scopes.Order(StringComparer.Ordinal).Select(s => (JsonNode?)JsonValue.Create(s))]),
                    ["outcome"] = c.Outcome, ["date"] = Date(c.Date), ["conditions"] = c.Conditions, ["evidenceFileId"] = c.EvidenceFileId?.ToString(),
                    ["withdrawnOn"] = c.WithdrawnOn is { } w ? Date(w) : null, ["withdrawalReason"] = c.WithdrawalReason,
                }, c.RenewOn))));
            case ApprovalSections.Targets:
                var targets = await ListAsync(queries.Targets(db, id), ct);
                return Object(targets.Select(t => (Key(t.Id), (JsonNode?)new JsonObject
                {
                    ["kind"] = t.Kind, ["indicator"] = t.Indicator, ["customIndicator"] = t.CustomIndicator, ["unit"] = t.Unit,
                    ["baselineValue"] = t.BaselineValue, ["baselineDate"] = Date(t.BaselineDate), ["baselineSource"] = t.BaselineSource,
                    ["action"] = t.Action, ["quantity"] = t.Quantity, ["quantityIsPercent"] = t.QuantityIsPercent, ["deadline"] = Date(t.Deadline),
                    ["monitoringFrequencyMonths"] = t.MonitoringFrequencyMonths, ["sites"] = t.SiteIdList,
                })));
            case ApprovalSections.Safeguards:
                // Findings' acknowledgements are the plan approvers' own work: left out.
                var review = await queries.SafeguardReview(db, id, ct);
                var answers = await ListAsync(queries.SafeguardAnswers(db, id), ct);
                var species = await ListAsync(queries.Species(db, id), ct);
                return new JsonObject
                {
                    ["plansPlantingOrAfforestation"] = review?.PlansPlantingOrAfforestation,
                    ["plantingJustification"] = review?.PlantingJustification,
                    ["answers"] = Object(answers.Select(a => (a.Number.ToString(CultureInfo.InvariantCulture), (JsonNode?)new JsonObject { ["answer"] = a.Answer, ["note"] = a.Note }))),
                    ["species"] = Object(species.Select(s => (Key(s.Id), (JsonNode?)new JsonObject
                    {
                        ["scientificName"] = s.ScientificName, ["commonName"] = s.CommonName, ["native"] = s.Native,
                        ["provenance"] = s.Provenance, ["precautionaryJustification"] = s.PrecautionaryJustification,
                    }))),
                };
            case ApprovalSections.Evidence:
                var files = await ListAsync(queries.Evidence(db, id), ct);
                return Object(files.Select(f => (Key(f.Id), (JsonNode?)new JsonObject
                {
                    ["fileName"] = f.FileName, ["sha256"] = f.Sha256, ["size"] = f.Size, ["attachedTo"] = f.TargetKey, ["version"] = f.Version,
                })));
            default:
                throw new InvalidOperationException($"'{section}' is not an approval section.");
        }
    }

    private static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var list = new List<T>();
        await foreach (var row in rows.WithCancellation(ct))
            list.Add(row);
        return list;
    }

    /// <summary>The queries of the sections, untracked, each reading only the columns its section shows.</summary>
    private sealed class SectionQueries
    {
        public Func<AppDbContext, Guid, IAsyncEnumerable<TeamRow>> Team { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.ProjectMembers.AsNoTracking().Where(m => m.ProjectId == id).Select(m => new TeamRow(m.UserId, m.Role)));

        public Func<AppDbContext, Guid, IAsyncEnumerable<ChecklistRow>> Checklist { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.ChecklistItems.AsNoTracking().Where(i => i.ProjectId == id).Select(i => new ChecklistRow(i.Code, i.Status, i.Note)));

        public Func<AppDbContext, Guid, IAsyncEnumerable<FormRow>> Forms { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.StepForms.AsNoTracking().Where(f => f.ProjectId == id).Select(f => new FormRow(f.Code, f.Values, f.FormVersion, f.Status)));

        public Func<AppDbContext, Guid, IAsyncEnumerable<SiteRow>> Sites { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.Sites.AsNoTracking().Where(s => s.ProjectId == id)
                .Select(s => new SiteRow(s.Id, s.Name, s.EcosystemType, s.Tenure, s.BoundaryHash, s.DeclaredHectares, s.ComputedHectares)));

        public Func<AppDbContext, Guid, IAsyncEnumerable<StakeholderRow>> Stakeholders { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.Stakeholders.AsNoTracking().Where(s => s.ProjectId == id).Select(s => new StakeholderRow(s.Id, s.Name, s.Group, s.IsIplc)));

        public Func<AppDbContext, Guid, IAsyncEnumerable<ParticipationEvent>> Participation { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.ParticipationEvents.AsNoTracking().Where(e => e.ProjectId == id));

        public Func<AppDbContext, Guid, IAsyncEnumerable<ConsentRecord>> Consents { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.ConsentRecords.AsNoTracking().Where(r => r.ProjectId == id));

        public Func<AppDbContext, Guid, IAsyncEnumerable<RestorationTarget>> Targets { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.RestorationTargets.AsNoTracking().Where(t => t.ProjectId == id));

        public Func<AppDbContext, Guid, CancellationToken, Task<PlantingRow?>> SafeguardReview { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id, CancellationToken _) =>
            c.SafeguardReviews.AsNoTracking().Where(r => r.ProjectId == id).Select(r => new PlantingRow(r.PlansPlantingOrAfforestation, r.PlantingJustification)).FirstOrDefault());

        public Func<AppDbContext, Guid, IAsyncEnumerable<AnswerRow>> SafeguardAnswers { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.SafeguardAnswers.AsNoTracking().Where(a => a.ProjectId == id).Select(a => new AnswerRow(a.Number, a.Answer, a.Note)));

        public Func<AppDbContext, Guid, IAsyncEnumerable<PlannedSpecies>> Species { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.PlannedSpecies.AsNoTracking().Where(s => s.ProjectId == id));

        public Func<AppDbContext, Guid, IAsyncEnumerable<EvidenceRow>> Evidence { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.EvidenceFiles.AsNoTracking().Where(f => f.ProjectId == id).Select(f => new EvidenceRow(f.Id, f.FileName, f.Sha256, f.Size, f.TargetKey, f.Version)));
    }

    private sealed record TeamRow(string UserId, ProjectMemberRole Role);

    private sealed record ChecklistRow(string Code, ChecklistStatus Status, string? Note);

    private sealed record FormRow(string Code, string Values, int FormVersion, StepFormStatus Status);

    private sealed record SiteRow(Guid Id, string Name, string EcosystemType, string Tenure, string BoundaryHash, decimal DeclaredHectares, decimal ComputedHectares);

    private sealed record StakeholderRow(Guid Id, string Name, string Group, bool IsIplc);

    private sealed record PlantingRow(bool? PlansPlantingOrAfforestation, string? PlantingJustification);

    private sealed record AnswerRow(int Number, string Answer, string? Note);

    private sealed record EvidenceRow(Guid Id, string FileName, string Sha256, long Size, string TargetKey, int Version);

    /// <summary>A consent's renewal date is in its snapshot only when it has one, so records without one hash as before it existed.</summary>
    private static JsonObject WithRenewal(JsonObject consent, DateOnly? renewOn)
    {
        if (renewOn is { } day)
            consent["renewOn"] = Date(day);
        return consent;
    }

    /// <summary>
    /// A section's records by key. The canonical writer orders the names; an id that occurs twice keeps its last
    /// record, as it did when the entries were sorted here first (a stable sort keeps equal keys in their order).
    /// </summary>
    private static JsonObject Object(IEnumerable<(string Key, JsonNode? Value)> entries)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in entries)
            obj[key] = value;
        return obj;
    }

    private static string Key(Guid id) => id.ToString("N");

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// A registry field as JSON. Texts, numbers and flags become values directly, which write the same bytes as the
    /// serializer's node for them (<c>ApprovalSnapshotTests</c>) without a round trip through it; anything else still
    /// goes through the serializer.
    /// </summary>
    internal static JsonNode? Value(object? value) => value switch
    {
        null => null,
        DateOnly d => JsonValue.Create(Date(d)),
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        decimal number => JsonValue.Create(number),
        IEnumerable<string> texts => new JsonArray([.. texts.Select(t => (JsonNode?)JsonValue.Create(t))]),
        _ => JsonSerializer.SerializeToNode(value),
    };
}

/// <summary>Which covered section an audited change belongs to, by its field name; null for what is not content.</summary>
public static class AuditedSections
{
    private static readonly HashSet<string> RegistryFields = [.. ProjectRegistryFields.Replayed, "areaHectares"];

    public static string? Of(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var head = field.Split('.', 2)[0];
        if (RegistryFields.Contains(field))
            return ApprovalSections.Registry;
        return head switch
        {
            "managers" or "members" => ApprovalSections.Team,
            "checklist" => ApprovalSections.Checklist,
            "steps" => ApprovalSections.Forms,
            "sites" => ApprovalSections.Sites,
            "stakeholders" => field.EndsWith(".contact", StringComparison.Ordinal) ? null : ApprovalSections.Stakeholders,
            "participation" => ApprovalSections.Participation,
            "consents" => field.Contains(".verified", StringComparison.Ordinal) ? null : ApprovalSections.Consents,
            "targets" => ApprovalSections.Targets,
            "safeguards" => field.StartsWith("safeguards.findings.", StringComparison.Ordinal) ? null : ApprovalSections.Safeguards,
            "species" => ApprovalSections.Safeguards,
            "evidence" => ApprovalSections.Evidence,
            _ => null,
        };
    }
}
