using System.Security.Cryptography;
using System.Text;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects.Safeguards;

/// <summary>
/// A project's safeguard review (Appendix I): whether the plan plants or afforests, and why where that needs a reason.
/// The nine answers are <see cref="SafeguardAnswer"/> rows. Changes only through the project command path.
/// </summary>
public sealed class SafeguardReview
{
    private SafeguardReview()
    {
    }

    public SafeguardReview(Guid projectId) => ProjectId = projectId;

    public Guid ProjectId { get; private set; }

    /// <summary>Whether the plan plants trees or afforests; null until the manager says.</summary>
    public bool? PlansPlantingOrAfforestation { get; private set; }

    /// <summary>Why planting is right here although a site or the project is grassland, savanna or naturally low in tree cover.</summary>
    public string? PlantingJustification { get; private set; }

    public DateTimeOffset? UpdatedAt { get; private set; }

    public void Update(bool? plansPlanting, string? justification, DateTimeOffset now)
    {
        PlansPlantingOrAfforestation = plansPlanting;
        PlantingJustification = string.IsNullOrWhiteSpace(justification) ? null : justification.Trim();
        UpdatedAt = now;
    }

    /// <summary>SHA-256 (hex) of a justification: what an acknowledgement pins, so a changed text needs a new one.</summary>
    public static string? HashOf(string? justification) =>
        string.IsNullOrWhiteSpace(justification) ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(justification.Trim())));
}

/// <summary>The answers a safeguard takes.</summary>
public static class SafeguardAnswers
{
    public const string Addressed = "addressed";
    public const string NotApplicable = "notApplicable";
    public const string NotYet = "notYet";

    public static readonly IReadOnlyList<(string Code, LocalizedText Label)> All =
    [
        (Addressed, new("Addressed", "已处理")),
        (NotApplicable, new("Not applicable", "不适用")),
        (NotYet, new("Not yet", "尚未处理")),
    ];

    public static bool IsKnown(string? code) => All.Any(a => a.Code == code);

    public static LocalizedText Label(string? code) =>
        All.FirstOrDefault(a => a.Code == code).Label ?? new LocalizedText("Not answered", "未回答");

    /// <summary>Addressed, or not applicable (with the reason its note must give): the question is settled.</summary>
    public static bool Settles(string? code) => code is Addressed or NotApplicable;
}

/// <summary>One project's answer to one safeguard of Appendix I (1–9).</summary>
public sealed class SafeguardAnswer
{
    private SafeguardAnswer()
    {
    }

    public SafeguardAnswer(Guid projectId, int number)
    {
        ProjectId = projectId;
        Number = number;
    }

    public Guid ProjectId { get; private set; }

    public int Number { get; private set; }

    /// <summary>A code of <see cref="SafeguardAnswers"/>.</summary>
    public string Answer { get; private set; } = SafeguardAnswers.NotYet;

    public string? Note { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public void Update(string answer, string? note, DateTimeOffset now)
    {
        Answer = answer;
        Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        UpdatedAt = now;
    }
}

/// <summary>
/// An approver's acknowledgement of a finding that needs one (planting in grassland): who, when, why, and the
/// justification it read (by its hash). It stops counting when the justification changes.
/// </summary>
public sealed class SafeguardAcknowledgement
{
    private SafeguardAcknowledgement()
    {
    }

    public SafeguardAcknowledgement(Guid projectId, string findingId, string justificationSha256, string comment, string userId, string userName, DateTimeOffset at)
    {
        Id = Guid.CreateVersion7(at);
        ProjectId = projectId;
        FindingId = findingId;
        JustificationSha256 = justificationSha256;
        Comment = comment;
        UserId = userId;
        UserName = userName;
        At = at;
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public string FindingId { get; private set; } = "";

    public string JustificationSha256 { get; private set; } = "";

    public string Comment { get; private set; } = "";

    public string UserId { get; private set; } = "";

    public string UserName { get; private set; } = "";

    public DateTimeOffset At { get; private set; }
}

/// <summary>The provenance of the seed or stock of a species to plant or reintroduce.</summary>
public static class SpeciesProvenances
{
    public const string Local = "local";

    public static readonly IReadOnlyList<(string Code, LocalizedText Label)> All =
    [
        (Local, new("Local", "本地")),
        ("regional", new("Regional", "区域")),
        ("other", new("Other", "其他")),
        ("unknown", new("Unknown", "未知")),
    ];

    public static bool IsKnown(string? code) => All.Any(p => p.Code == code);

    public static LocalizedText Label(string code) => All.FirstOrDefault(p => p.Code == code).Label ?? new LocalizedText(code, code);
}

/// <summary>A species the plan plants or reintroduces (safeguards 7 and 9): native or not, and where its stock comes from.</summary>
public sealed class PlannedSpecies
{
    private PlannedSpecies()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public string ScientificName { get; private set; } = "";

    public string? CommonName { get; private set; }

    public bool Native { get; private set; }

    /// <summary>A code of <see cref="SpeciesProvenances"/>.</summary>
    public string Provenance { get; private set; } = "";

    /// <summary>Why a non-native species is used, under a precautionary approach (safeguard 9).</summary>
    public string? PrecautionaryJustification { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static PlannedSpecies Create(Guid projectId, SpeciesDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        var species = new PlannedSpecies { Id = Guid.CreateVersion7(now), ProjectId = projectId, CreatedAt = now };
        species.Update(details, now);
        return species;
    }

    public void Update(SpeciesDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        ScientificName = details.ScientificName.Trim();
        CommonName = string.IsNullOrWhiteSpace(details.CommonName) ? null : details.CommonName.Trim();
        Native = details.Native;
        Provenance = details.Provenance;
        PrecautionaryJustification = string.IsNullOrWhiteSpace(details.PrecautionaryJustification) ? null : details.PrecautionaryJustification.Trim();
        UpdatedAt = now;
    }

    public SpeciesDetails Details => new(ScientificName, CommonName, Native, Provenance, PrecautionaryJustification);
}

/// <summary>What a species entry holds.</summary>
public sealed record SpeciesDetails(string ScientificName, string? CommonName, bool Native, string Provenance, string? PrecautionaryJustification);
