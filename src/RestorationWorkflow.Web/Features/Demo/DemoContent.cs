using System.Globalization;
using System.Text;
using RestorationWorkflow.Projects.Evaluations;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Evaluations;

namespace RestorationWorkflow.Web.Features.Demo;

/// <summary>
/// One demo project: its registry, its content (sites, people, forms, targets) and its story — the steps, as its
/// people would take them, that bring it to the state it shows (<see cref="DemoStory"/>).
/// </summary>
public sealed record DemoProject
{
    /// <summary>Every demo code starts with this: the seed finds its projects by their codes.</summary>
    public const string CodePrefix = "DEMO-";

    public required string Code { get; init; }

    public required string Name { get; init; }

    public required string Description { get; init; }

    public required string Country { get; init; }

    public required string Region { get; init; }

    public string Scale { get; init; } = "site";

    public required IReadOnlyList<string> EcosystemTypes { get; init; }

    public bool NaturallyLowTreeCover { get; init; }

    public string Situation { get; init; } = "identifiedConsidered";

    public required DateOnly StartDate { get; init; }

    public required int LifespanYears { get; init; }

    public required decimal Budget { get; init; }

    public required string Currency { get; init; }

    public required string LeadOrganisation { get; init; }

    /// <summary>The demo manager who creates the project (pm@ or pm2@example.org).</summary>
    public string ManagerEmail { get; init; } = DemoActors.Pm;

    public IReadOnlyList<DemoSite> Sites { get; init; } = [];

    /// <summary>The stakeholders; consent is recorded for each IPLC one.</summary>
    public IReadOnlyList<DemoStakeholder> Stakeholders { get; init; } = [];

    /// <summary>The values of the step forms this project fills (A1…C5), by step code; <see cref="DemoForms"/> has the common ones.</summary>
    public IReadOnlyDictionary<string, object> Forms { get; init; } = new Dictionary<string, object>();

    public IReadOnlyList<DemoTarget> Targets { get; init; } = [];

    /// <summary>Native species of local stock the plan plants (a plan with species says it plants).</summary>
    public IReadOnlyList<DemoSpecies> Species { get; init; } = [];

    /// <summary>The steps that bring the project to its state.</summary>
    public required Func<DemoStory, CancellationToken, Task> Story { get; init; }

    /// <summary>The state the story ends in; the seed checks it.</summary>
    public required string ExpectedState { get; init; }
}

/// <summary>
/// A site drawn as an irregular hexagon around a centre (longitude, latitude) with a radius in kilometres: small enough
/// to sit well inside its country's outline, which the seed checks.
/// </summary>
public sealed record DemoSite(string Name, string EcosystemType, string Tenure, double Longitude, double Latitude, double RadiusKm)
{
    private static readonly double[] Shape = [1.0, 0.82, 1.12, 0.9, 1.04, 0.78];

    /// <summary>The boundary as GeoJSON (counter-clockwise exterior ring, closed).</summary>
    public string Boundary()
    {
        var text = new StringBuilder("{\"type\":\"Polygon\",\"coordinates\":[[");
        var dLat = RadiusKm / 111.32;
        var dLon = dLat / Math.Cos(Latitude * Math.PI / 180);
        for (var i = 0; i <= Shape.Length; i++)
        {
            var k = i % Shape.Length;
            var angle = (k * 60 + 15) * Math.PI / 180;
            var lon = Math.Round(Longitude + (dLon * Shape[k] * Math.Cos(angle)), 5);
            var lat = Math.Round(Latitude + (dLat * Shape[k] * Math.Sin(angle)), 5);
            text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}[{lon},{lat}]");
        }
        return text.Append("]]}").ToString();
    }
}

public sealed record DemoStakeholder(string Name, string Group, bool IsIplc, string? Contact = null);

/// <summary>A participation event: who came, counted by gender (and how many of them are IPLC; all when not given).</summary>
public sealed record DemoMeeting(DateOnly Date, string StepCode, string Method, string Purpose, int Women, int Men, int OtherGender, string Outcome, int? IplcMembers = null);

/// <summary>
/// The evaluation of a cycle as the manager records it after the evaluation meeting (its effectiveness is the D1 text):
/// impact, costs and the A4 benefits realised, socio-economic outcomes, unintended consequences, and the lessons (D3).
/// </summary>
public sealed record DemoEvaluation(
    string Impact, decimal? CostRealised, string? Currency, IReadOnlyList<RealisedBenefitRequest> Benefits, string SocioEconomicOutcomes,
    string UnintendedConsequences, IReadOnlyList<LessonDetails> Lessons);

public sealed record DemoSpecies(string ScientificName, string CommonName);

/// <summary>How a target's measurements come out against its expected trajectory (decision 0031's rule).</summary>
public enum DemoTrend
{
    /// <summary>No measurement yet.</summary>
    None,
    OnTrack,
    AtRisk,
    OffTrack,
}

/// <summary>
/// A SMART target and how it is measured: every <see cref="MeasureEveryMonths"/> from the baseline up to a month ago,
/// at values that end <see cref="Trend"/> under the configured thresholds (the seed checks the status it gets).
/// </summary>
public sealed record DemoTarget
{
    public required string Kind { get; init; }

    public required string Indicator { get; init; }

    public string? CustomIndicator { get; init; }

    public required string Unit { get; init; }

    public required decimal Baseline { get; init; }

    public required DateOnly BaselineDate { get; init; }

    public required string BaselineSource { get; init; }

    public required string Action { get; init; }

    public decimal? Quantity { get; init; }

    public bool QuantityIsPercent { get; init; }

    public required DateOnly Deadline { get; init; }

    public int MonitoringFrequencyMonths { get; init; } = 12;

    public DemoTrend Trend { get; init; } = DemoTrend.None;

    /// <summary>How often a value was measured; the monitoring frequency when not given.</summary>
    public int? MeasureEveryMonths { get; init; }

    /// <summary>Values are counts (jobs, households, species): whole numbers.</summary>
    public bool WholeNumbers { get; init; }

    public string Method { get; init; } = "Field survey of permanent plots";

    public string MeasuredBy { get; init; } = "Project monitoring team";

    /// <summary>Added when the plan is revised (<see cref="DemoStory.AddRevisedTargetsAsync"/>), not with the first plan.</summary>
    public bool AddedOnRevision { get; init; }

    /// <summary>What the monitoring review of this target found (recorded once the plan is approved).</summary>
    public string? ReviewSummary { get; init; }

    public TargetInput Input() => new(Kind, Indicator, CustomIndicator, Unit, new TargetBaselineInput(Baseline, BaselineDate, BaselineSource), Action,
        Quantity, QuantityIsPercent, Deadline, MonitoringFrequencyMonths, []);
}
