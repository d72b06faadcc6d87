namespace RestorationWorkflow.Web.Features.Demo;

/// <summary>Who governs a demo project's country and land, for the enabling-environment forms (B1–B9).</summary>
public sealed record DemoInstitutions(string EnvironmentLaw, string Ministry, string LandLaw, string LandAgency, string SpatialPlan, string LocalGovernment);

/// <summary>A task of the C4 implementation plan, in months from the project's start.</summary>
public sealed record DemoTask(string Task, string Phase, int FromMonth, int ToMonth, string BudgetLine, decimal Amount, string Owner);

/// <summary>
/// Values of the step forms (their JSON Schemas are in <c>workflows/forms/</c>) that demo projects share in shape: the
/// enabling environment (B1–B9) from the country's institutions, the safeguards of planning (C2) and the implementation
/// plan (C4). The forms that make each project what it is (A1, A2, A4, A6, C1, C3) are written in <see cref="DemoCatalogue"/>.
/// </summary>
public static class DemoForms
{
    /// <summary>B1–B9, each with the status of the instrument, who is responsible, the gap and what the project does about it.</summary>
    public static Dictionary<string, object> Enabling(DemoInstitutions i)
    {
        ArgumentNullException.ThrowIfNull(i);
        return new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["B1"] = B("inPlace", i.EnvironmentLaw, i.Ministry, "No budget line for restoration once project funding ends.",
                $"Co-financing agreement with {i.LocalGovernment} for the years after the project."),
            ["B2"] = B("beingImproved", i.LandLaw, i.LandAgency, "Customary use rights over the sites are respected in practice but not registered.",
                $"Participatory mapping of customary rights, submitted to {i.LandAgency} for registration."),
            ["B3"] = B("underReview", i.SpatialPlan, i.LocalGovernment, "Part of the sites is zoned for expansion of farming or building.",
                "Zoning change requested so the restored areas are designated for conservation use."),
            ["B4"] = B("inPlace", $"Environmental and social safeguards of the {i.Ministry}", i.Ministry, "No grievance mechanism at site level.",
                "Grievance box and telephone line run by the community council; answers within 30 days."),
            ["B5"] = B("inPlace", "National biodiversity strategy and action plan (NBSAP), restoration target", i.Ministry,
                "The national target is not broken down by region.", "The project reports its hectares as the region's contribution to Target 2 of the Kunming-Montreal framework."),
            ["B6"] = B("beingDeveloped", "Natural capital accounting pilot (SEEA Ecosystem Accounting)", "National statistics office",
                "Ecosystem services are not valued in district plans.", "Valuation of the water and carbon benefits with a university partner."),
            ["B7"] = B("underReview", "Agricultural input and land-clearing subsidies", "Ministry of Agriculture",
                "Subsidies still reward converting natural land.", "Payments for ecosystem services trial for households that keep restored land."),
            ["B8"] = B("beingDeveloped", "Project resource-mobilisation strategy", i.LocalGovernment,
                "Funding secured for the first years only.", "Proposal to a climate fund; the communities contribute labour and seed."),
            ["B9"] = B("absent", "Extension-service training programme", i.LocalGovernment,
                "No local nursery, monitoring or data skills.", "Train community monitors and nursery keepers; exchange visits with a restored site."),
        };

        static object B(string status, string instrument, string body, string gap, string response) =>
            new { status, instrument, responsibleBody = body, gap, projectResponse = response };
    }

    /// <summary>C2: the landscape the project is planned in, and its impact assessments.</summary>
    public static object Landscape(string landscapePlanning, string adjacentEffects, bool eiaDone = true, bool seaDone = false) =>
        new { landscapePlanning, adjacentEffects, eiaDone, seaDone };

    /// <summary>C4: the tasks, dated from <paramref name="start"/>, the performance standards, the monitoring questions and the review interval.</summary>
    public static object Implementation(DateOnly start, IReadOnlyList<DemoTask> tasks, string performanceStandards, IReadOnlyList<string> questions, int reviewIntervalMonths = 12)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return new
        {
            tasks = tasks.Select(t => new
            {
                task = t.Task,
                phase = t.Phase,
                start = DemoProjectDriver.Day(start.AddMonths(t.FromMonth)),
                end = DemoProjectDriver.Day(start.AddMonths(t.ToMonth).AddDays(-1)),
                budgetLine = t.BudgetLine,
                amount = t.Amount,
                owner = t.Owner,
            }).ToArray(),
            performanceStandards,
            monitoringQuestions = questions,
            reviewIntervalMonths,
            dataStandards = "Open data under CC BY 4.0 once personal data are removed; raw data kept ten years by the lead organisation.",
        };
    }
}
