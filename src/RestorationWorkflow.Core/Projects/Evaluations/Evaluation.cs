namespace RestorationWorkflow.Projects.Evaluations;

/// <summary>
/// The evaluation of one adaptive-management cycle (D1): how effective the restoration was and what impact it had, the
/// costs and benefits realised (A4's benefit categories), the socio-economic outcomes, the stakeholders consulted (a
/// participation event of the project counted by gender and IPLC membership) and the unintended consequences (D3).
/// One per project and cycle; recorded and revised only while the project is in a state that offers decisions
/// (v3: Evaluation), through the project command path, each field audited as <c>evaluations.{id}.{field}</c>.
/// </summary>
public sealed class Evaluation
{
    private Evaluation()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    /// <summary>1, 2, 3…: the cycle evaluated (<see cref="EvaluationCycles"/>).</summary>
    public int Cycle { get; private set; }

    public string Effectiveness { get; private set; } = "";

    public string Impact { get; private set; } = "";

    /// <summary>What the restoration cost so far, in <see cref="Currency"/>; null when not known.</summary>
    public decimal? CostRealised { get; private set; }

    public string? Currency { get; private set; }

    /// <summary>The benefits realised, one row per A4 category: JSON <c>[{"category","value","unit","description"}]</c>.</summary>
    public string BenefitsJson { get; private set; } = "[]";

    public string SocioEconomicOutcomes { get; private set; } = "";

    /// <summary>The participation event at which stakeholders were consulted on the evaluation.</summary>
    public Guid ParticipationEventId { get; private set; }

    public string UnintendedConsequences { get; private set; } = "";

    public string RecordedById { get; private set; } = "";

    public DateTimeOffset RecordedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<RealisedBenefit> Benefits => RealisedBenefit.Parse(BenefitsJson);

    public EvaluationDetails Details =>
        new(Effectiveness, Impact, CostRealised, Currency, Benefits, SocioEconomicOutcomes, ParticipationEventId, UnintendedConsequences);

    public static Evaluation Create(Guid projectId, int cycle, EvaluationDetails details, string recordedById, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentOutOfRangeException.ThrowIfLessThan(cycle, 1);
        var evaluation = new Evaluation { Id = Guid.CreateVersion7(now), ProjectId = projectId, Cycle = cycle, RecordedAt = now };
        evaluation.Update(details, recordedById, now);
        return evaluation;
    }

    public void Update(EvaluationDetails details, string recordedById, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentException.ThrowIfNullOrEmpty(recordedById);
        Effectiveness = details.Effectiveness;
        Impact = details.Impact;
        CostRealised = details.CostRealised;
        Currency = details.Currency;
        BenefitsJson = RealisedBenefit.Serialize(details.Benefits);
        SocioEconomicOutcomes = details.SocioEconomicOutcomes;
        ParticipationEventId = details.ParticipationEventId;
        UnintendedConsequences = details.UnintendedConsequences;
        RecordedById = recordedById;
        UpdatedAt = now;
    }
}

/// <summary>What a valid evaluation holds.</summary>
public sealed record EvaluationDetails(
    string Effectiveness, string Impact, decimal? CostRealised, string? Currency, IReadOnlyList<RealisedBenefit> Benefits,
    string SocioEconomicOutcomes, Guid ParticipationEventId, string UnintendedConsequences);

/// <summary>One benefit realised: an A4 benefit category, the value observed and its unit, and what it was.</summary>
public sealed record RealisedBenefit(string Category, decimal Value, string Unit, string Description)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static IReadOnlyList<RealisedBenefit> Parse(string? json) =>
        string.IsNullOrEmpty(json) ? [] : System.Text.Json.JsonSerializer.Deserialize<List<RealisedBenefit>>(json, Json) ?? [];

    public static string Serialize(IReadOnlyList<RealisedBenefit> benefits) => System.Text.Json.JsonSerializer.Serialize(benefits, Json);

    /// <summary>One line for the audit trail and the CSV: <c>category value unit</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"{Category} {Value} {Unit}").Trim();
}
