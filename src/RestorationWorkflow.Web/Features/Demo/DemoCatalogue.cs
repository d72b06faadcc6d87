using RestorationWorkflow.Projects.Evaluations;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Demo;

/// <summary>Months back from today (first of the month): the demo's dates are planned from today, which commands refuse to pass.</summary>
public readonly record struct DemoCalendar(DateOnly Today)
{
    /// <summary>The <paramref name="day"/>th of the month <paramref name="months"/> before this one (after it when negative).</summary>
    public DateOnly Ago(int months, int day = 1) => new DateOnly(Today.Year, Today.Month, 1).AddMonths(-months).AddDays(day - 1);
}

/// <summary>
/// The twelve demo projects: one in every state of the STAPER v3 workflow, across the ten ecosystem types and twelve
/// countries, each with a story told through the command path (<see cref="DemoStory"/>). Places are real regions; the
/// projects, villages, organisations and people are fictional, and every description says so.
/// </summary>
public static class DemoCatalogue
{
    public const string Fictional = "Demo: a fictional project for exploring the app; the region is real, the sites, organisations and people are invented.";

    public static IReadOnlyList<DemoProject> Projects(DateOnly today)
    {
        var c = new DemoCalendar(today);
        return
        [
            Zapopan(c), Khangai(c), Cienagas(c), Sahyadri(c), Miombo(c), CoralGardens(c),
            Mau(c), CaMau(c), Qinglu(c), SerraVerde(c), Kamiesberg(c), AntiAtlas(c),
        ];
    }

    private static string Describe(string what) => $"{Fictional}\n\n{what}";

    // ───────────────────────── Draft: urban, Mexico ─────────────────────────

    private static DemoProject Zapopan(DemoCalendar c) => new()
    {
        Code = "DEMO-MX-ZAPOPAN",
        Name = "Demo: Schoolyard pocket forests, Zapopan",
        Description = Describe("Dense native pocket forests on school grounds, to cool the playgrounds, hold storm water and bring back pollinators. Being registered: the sites are drawn, the assessment has not started."),
        Country = "MX",
        Region = "Jalisco",
        EcosystemTypes = ["urban"],
        Situation = "notYetConsidered",
        StartDate = c.Ago(-3),
        LifespanYears = 8,
        Budget = 1_800_000m,
        Currency = "MXN",
        LeadOrganisation = "Colectivo Bosques Escolares (fictional)",
        Sites =
        [
            new("Escuela Primaria Los Robles grounds (fictional)", "urban", "public", -103.405, 20.715, 0.3),
            new("Secundaria Técnica 88 yard (fictional)", "urban", "public", -103.39, 20.73, 0.3),
        ],
        ExpectedState = "Draft",
        Story = async (s, ct) => await s.RegisterAsync(ct),
    };

    // ───────────────────────── Assessment: grassland, Mongolia ─────────────────────────

    private static DemoProject Khangai(DemoCalendar c)
    {
        var herders = new DemoStakeholder("Tamir valley herder households (fictional bag)", "localCommunity", true, "Bag governor's office, Tamir valley");
        return new()
        {
            Code = "DEMO-MN-KHANGAI",
            Name = "Demo: Khangai steppe rangeland recovery",
            Description = Describe("Resting and re-seeding overgrazed winter pastures with the herder households who use them, under a rotational grazing plan they agree among themselves."),
            Country = "MN",
            Region = "Arkhangai Province",
            EcosystemTypes = ["grassland"],
            NaturallyLowTreeCover = true,
            StartDate = c.Ago(6),
            LifespanYears = 10,
            Budget = 420_000m,
            Currency = "USD",
            LeadOrganisation = "Arkhangai Pasture Users' Union (fictional)",
            ManagerEmail = DemoActors.Pm2,
            Sites =
            [
                new("Tamir valley winter pastures", "grassland", "communalCustomary", 101.45, 47.48, 2.5),
                new("Khünüi river terraces", "grassland", "communalCustomary", 101.56, 47.53, 2.0),
            ],
            Stakeholders =
            [
                herders,
                new("Khangai women herders' cooperative (fictional)", "womensGroup", true),
                new("Soum land office", "government", false),
            ],
            Forms = new Dictionary<string, object>
            {
                ["A1"] = new
                {
                    extentHectares = 3400,
                    ecosystemTypes = new[] { "grassland" },
                    degradationType = "both",
                    degree = "moderate",
                    location = "Winter pastures around the Tamir valley camps, grazed year-round since the herds doubled.",
                    drivers = new[] { "overExploitation", "climateChange" },
                    driversDescription = "Herd sizes above carrying capacity; drier summers since 2015.",
                },
                ["A2"] = new
                {
                    biodiversityPriority = false,
                    ecosystemServices = true,
                    protectedAreaConnectivity = true,
                    justification = "Pastures feed 140 households; the valley links two parts of a protected area used by argali.",
                },
                // Still being costed: the benefits are not yet estimated (the form stays in progress).
                ["A4"] = new { estimatedCost = 420000, currency = "USD" },
            },
            ExpectedState = "Assessment",
            Story = async (s, ct) =>
            {
                await s.RegisterAsync(ct);
                await s.StartAssessmentAsync(ct);
                await s.AssessAsync(new(c.Ago(3, 12), "A3", "Meeting at the winter camp", "Explain the assessment and agree how herders take part.",
                    38, 41, 0, "The herders asked for the pasture map to be drawn with them."), c.Ago(3, 12), ct);
            },
        };
    }

    // ───────────────────────── ConsentReview: inland water, Colombia ─────────────────────────

    private static DemoProject Cienagas(DemoCalendar c) => new()
    {
        Code = "DEMO-CO-CIENAGAS",
        Name = "Demo: Floodplain lakes of the middle Magdalena",
        Description = Describe("Reopening the channels between the river and its floodplain lakes (ciénagas) and replanting their shores, with the community council and the fishers who depend on them."),
        Country = "CO",
        Region = "Antioquia",
        EcosystemTypes = ["inlandWater"],
        Situation = "identifiedConsidered",
        StartDate = c.Ago(10),
        LifespanYears = 8,
        Budget = 3_200_000_000m,
        Currency = "COP",
        LeadOrganisation = "Corporación Ciénagas Vivas (fictional)",
        Sites =
        [
            new("Ciénaga El Totumo shoreline (fictional)", "inlandWater", "communalCustomary", -74.42, 6.47, 1.5),
            new("Caño Negro connecting channel (fictional)", "inlandWater", "public", -74.37, 6.52, 1.0),
        ],
        Stakeholders =
        [
            new("Consejo Comunitario Río Claro (fictional)", "localCommunity", true, "Council secretary, Río Claro"),
            new("Fishers' association of El Totumo (fictional)", "localCommunity", true),
            new("Municipal environment office", "government", false),
        ],
        Forms = new Dictionary<string, object>
        {
            ["A1"] = new
            {
                extentHectares = 860,
                ecosystemTypes = new[] { "inlandWater", "wetland" },
                degradationType = "both",
                degree = "severe",
                location = "Two floodplain lakes cut off from the river by a road embankment and silted channels.",
                drivers = new[] { "landUseChange", "fragmentation", "pollution" },
                driversDescription = "Embankments for cattle pasture; mining silt from upstream.",
            },
            ["A2"] = new
            {
                biodiversityPriority = true,
                ecosystemServices = true,
                protectedAreaConnectivity = false,
                justification = "Nursery grounds of the bocachico fish the river fishery depends on; flood storage for the town.",
            },
            ["A4"] = new
            {
                estimatedCost = 3200000000m,
                currency = "COP",
                benefits = new object[]
                {
                    new { category = "foodSecurity", estimate = 40, unit = "t fish/yr", description = "Bocachico catch recovered" },
                    new { category = "disasterRiskReduction", estimate = 12, unit = "million m3 flood storage" },
                },
                costOfInaction = "The lakes fill with silt within 15 years and the fishery closes.",
            },
            ["A5"] = new
            {
                frameworks = "National wetlands policy; the regional environmental authority's river basin plan.",
                financialResources = "Regional environmental authority; compensation funds of a road concession.",
                technicalResources = "Hydrology group of a regional university; the fishers' own knowledge of the channels.",
                gaps = "No agreement yet with the cattle ranches on the embankment.",
            },
            ["A6"] = new
            {
                measures = new object[]
                {
                    new { driver = "fragmentation", measure = "Culverts under the embankment; reopen the Caño Negro channel." },
                    new { driver = "pollution", measure = "Silt traps upstream, agreed with the miners' cooperative." },
                },
                baseline = "Water exchange with the river 3 months a year; 14 fish species recorded.",
                preDegradation = true,
                baselineSource = "Fishers' catch records and 1990 regional survey.",
                baselineSetBy = "University hydrologists with the fishers' association.",
            },
        },
        ExpectedState = "ConsentReview",
        Story = async (s, ct) =>
        {
            await s.RegisterAsync(ct);
            await s.StartAssessmentAsync(ct);
            await s.AssessAsync(new(c.Ago(6, 18), "A3", "Community assembly at the council house", "Present the assessment and ask for consent.",
                46, 52, 1, "Consent to the assessment; fishers to join the channel survey."), c.Ago(6, 20), ct);
            await s.SubmitAssessmentAsync(ct);
        },
    };

    // ───────────────────────── Planning: cropland, India ─────────────────────────

    private static DemoProject Sahyadri(DemoCalendar c)
    {
        var start = c.Ago(16);
        return new()
        {
            Code = "DEMO-IN-SAHYADRI",
            Name = "Demo: Millet terraces of the Sahyadri foothills",
            Description = Describe("Rebuilding stone bunds on eroding terraces, returning them to rain-fed millets and pulses with hedgerows of native trees, with the hamlet's farmers."),
            Country = "IN",
            Region = "Maharashtra",
            EcosystemTypes = ["cropland"],
            StartDate = start,
            LifespanYears = 7,
            Budget = 18_500_000m,
            Currency = "INR",
            LeadOrganisation = "Sahyadri Farmer Producer Company (fictional)",
            Sites =
            [
                new("Upper terraces, Wadi hamlet (fictional)", "cropland", "private", 73.84, 18.19, 1.2),
                new("Stream-side bunds, Wadi hamlet (fictional)", "cropland", "mixed", 73.87, 18.215, 0.8),
            ],
            Stakeholders =
            [
                new("Adivasi families of Wadi hamlet (fictional)", "indigenousPeople", true, "Hamlet elder, Wadi"),
                new("Wadi women's self-help group (fictional)", "womensGroup", false),
                new("Gram panchayat of Wadi", "government", false),
            ],
            Forms = new Dictionary<string, object>(Assessed("cropland", 310, "Terraces abandoned after the bunds broke; gullies cut into the slopes.",
                "Topsoil 20 cm on intact terraces, 5 cm where bunds broke.", "Soil survey of the agricultural university, 2019."))
            {
                ["B1"] = new { status = "inPlace", instrument = "Maharashtra watershed development guidelines", responsibleBody = "State watershed agency", gap = "Bund repairs are funded only on public land.", projectResponse = "Labour through the rural employment guarantee scheme." },
                ["B2"] = new { status = "beingImproved", instrument = "Forest Rights Act, 2006", responsibleBody = "District collector", gap = "Community forest rights claimed but not yet granted.", projectResponse = "Help the hamlet file and follow its claim." },
                ["C1"] = C1("Bunds first; hedgerows regenerate from rootstock left in the field edges.", "soilOrHydrologyRestoration", "assistedNaturalRegeneration"),
            },
            Targets =
            [
                new()
                {
                    Kind = "environmental", Indicator = "soilLoss", Unit = "t/ha/yr", Baseline = 18m, BaselineDate = start.AddMonths(-2),
                    BaselineSource = "Erosion pins on six terraces, monsoon before the project.", Action = "reduce", Quantity = 60m, QuantityIsPercent = true,
                    Deadline = start.AddYears(6),
                },
            ],
            ExpectedState = "Planning",
            Story = async (s, ct) =>
            {
                await s.RegisterAsync(ct);
                await s.StartAssessmentAsync(ct);
                await s.AssessAsync(new(c.Ago(13, 9), "A3", "Meeting in the hamlet temple yard", "Walk the terraces and agree the assessment.",
                    27, 24, 0, "Consent to the assessment; farmers mapped the broken bunds.", 40), c.Ago(13, 10), ct);
                await s.SubmitAssessmentAsync(ct);
                await s.ApproveConsentAsync(s.Actors.Approver2, "Consent records of the hamlet checked.", ct);
                // Planning under way: part of the enabling environment and the first measure are written, one target drafted.
                await s.FillFormsAsync(DemoStory.PlanForms, ct);
                await s.AddTargetsAsync(ct);
            },
        };
    }

    // ───────────────────────── PlanReview: savanna, Tanzania ─────────────────────────

    private static DemoProject Miombo(DemoCalendar c)
    {
        var start = c.Ago(20);
        return new()
        {
            Code = "DEMO-TZ-MIOMBO",
            Name = "Demo: Miombo savanna regeneration, Kaliua",
            Description = Describe("Letting miombo woodland savanna regrow from rootstock on village land, with fire breaks, early burning and beekeeping as the income that keeps the land under trees."),
            Country = "TZ",
            Region = "Tabora Region",
            EcosystemTypes = ["savanna"],
            StartDate = start,
            LifespanYears = 10,
            Budget = 950_000_000m,
            Currency = "TZS",
            LeadOrganisation = "Kaliua Community Forest Network (fictional)",
            Sites =
            [
                new("Usinge village land forest reserve (fictional)", "savanna", "communalCustomary", 31.78, -5.08, 3.0),
                new("Ugalla buffer corridor (fictional section)", "savanna", "public", 31.85, -5.13, 2.5),
            ],
            Stakeholders =
            [
                new("Usinge village assembly (fictional)", "localCommunity", true, "Village executive officer, Usinge"),
                new("Usinge beekeepers' group (fictional)", "landOwnersOrUsers", false),
                new("District forest officer", "government", false),
            ],
            Forms = Planned(Assessed("savanna", 5200, "Woodland cleared for tobacco curing fuel and shifting cultivation; rootstock still alive.",
                    "Basal area 6 m²/ha against 14 in the reference woodland.", "District forest inventory plots, 2021."),
                new DemoInstitutions("Forest Act, 2002", "Vice President's Office – Environment", "Village Land Act, 1999", "Village land-use planning commission",
                    "Kaliua district land-use plan", "Kaliua District Council"),
                C1("Miombo resprouts from rootstock if fire and cutting stop; no planting needed.", "naturalRegeneration", "assistedNaturalRegeneration"),
                new
                {
                    desiredFutureState = "Closed-canopy miombo on the reserve, managed for honey, with late fires excluded.",
                    referenceEcosystem = "The undisturbed miombo of the neighbouring game reserve.",
                    objectives = new object[]
                    {
                        new { objective = "Native tree species back on the plots within eight years.", kind = "ecological" },
                        new { objective = "150 households earning from honey by year six.", kind = "socioEconomic" },
                    },
                },
                start, [new("Fire breaks and early burning", "sitePreparation", 12, 18, "Fire management", 120_000_000m, "Village natural resources committee"),
                    new("Beehives and a honey collection centre", "implementation", 18, 36, "Livelihoods", 300_000_000m, "Beekeepers' group")]),
            Targets =
            [
                new()
                {
                    Kind = "environmental", Indicator = "nativeSpeciesRichness", Unit = "species", Baseline = 21m, BaselineDate = start.AddMonths(4),
                    BaselineSource = "Tree species on 30 inventory plots.", Action = "increase", Quantity = 14m, Deadline = start.AddYears(8),
                    Trend = DemoTrend.OnTrack, WholeNumbers = true, Method = "Species count on 30 permanent plots",
                },
                new()
                {
                    Kind = "socioEconomic", Indicator = "householdsBenefiting", Unit = "households", Baseline = 0m, BaselineDate = start,
                    BaselineSource = "Village register.", Action = "increase", Quantity = 150m, Deadline = start.AddYears(6),
                },
            ],
            ExpectedState = "PlanReview",
            Story = async (s, ct) =>
            {
                await s.RegisterAsync(ct);
                await s.StartAssessmentAsync(ct);
                await s.AssessAsync(new(c.Ago(17, 5), "A3", "Village assembly", "Agree the assessment of the reserve.", 64, 71, 0,
                    "Consent to the assessment.", 120), c.Ago(17, 6), ct);
                await s.SubmitAssessmentAsync(ct);
                await s.ApproveConsentAsync(s.Actors.Approver1, "Assembly minutes and consent records verified.", ct);
                await s.PlanAsync(new(c.Ago(6, 14), "C3", "Village assembly and beekeepers' meeting", "Agree the objectives and the fire rules.", 58, 66, 0,
                    "Fire rules adopted as village by-laws.", 110), c.Ago(6, 15), null, ct);
                await s.SubmitPlanAsync("Plan, targets and safeguards ready for review.", ct);
                // Monitoring starts with the plan (workflow v2 on): the first species count is recorded while the plan is reviewed.
                await s.MeasureAsync(null, ct);
                await s.VerifyConsentsAsync(s.Actors.Approver1, ct);
                await s.Driver.DecideAsync(s.Actors.Approver1, "approve", "Fire management and honey income make the targets credible.", ct);
            },
        };
    }

    // ───────────────────────── Implementation: reefs, Indonesia ─────────────────────────

    private static DemoProject CoralGardens(DemoCalendar c)
    {
        var start = c.Ago(30);
        return new()
        {
            Code = "DEMO-ID-SEPI",
            Name = "Demo: Coral gardens of Teluk Sepi",
            Description = Describe("Replanting coral fragments from the bay's own reefs on steel frames where blast fishing broke the reef flat, with the fishing village as reef wardens."),
            Country = "ID",
            Region = "Nusa Tenggara Timur",
            EcosystemTypes = ["reefs", "marineCoastal"],
            StartDate = start,
            LifespanYears = 10,
            Budget = 6_500_000_000m,
            Currency = "IDR",
            LeadOrganisation = "Yayasan Karang Lestari (fictional)",
            Sites =
            [
                new("Reef flat north of the jetty, Teluk Sepi (fictional)", "reefs", "public", 119.88, -8.49, 0.6),
                new("Seagrass and patch reefs, south cove (fictional)", "reefs", "public", 119.88, -8.506, 0.6),
            ],
            Stakeholders =
            [
                new("Fishing community of Kampung Sepi (fictional)", "localCommunity", true, "Village head, Kampung Sepi"),
                new("Dive operators' association (fictional)", "privateSector", false),
                new("Regency marine affairs office", "government", false),
            ],
            Species = [new("Acropora muricata", "Staghorn coral"), new("Porites cylindrica", "Finger coral")],
            Forms = Planned(Assessed("reefs", 95, "Reef flat broken into rubble by blast fishing in the 2000s; live coral only on the slope.",
                    "Live coral cover 12 % on the flat, 41 % on the slope.", "Reef check transects, 2022."),
                new DemoInstitutions("Law 27/2007 on coastal and small islands management", "Ministry of Marine Affairs and Fisheries",
                    "Provincial marine spatial plan (RZWP3K)", "Provincial marine affairs office", "Provincial marine zoning plan", "West Manggarai regency"),
                C1("Rubble does not recover alone; frames hold fragments of the bay's own corals.", "planting", "reintroduction"),
                new
                {
                    desiredFutureState = "A living reef flat that shelters reef fish and draws divers, watched by the village.",
                    referenceEcosystem = "The healthy reef slope of the bay's eastern point.",
                    objectives = new object[]
                    {
                        new { objective = "Live coral cover on the flat back to 30 %.", kind = "ecological" },
                        new { objective = "Sixty villagers trained as reef wardens and divers.", kind = "socioEconomic" },
                    },
                },
                start, [new("Weld and place 400 reef frames", "implementation", 14, 20, "Frames", 1_200_000_000m, "Village reef wardens"),
                    new("Reef warden training", "implementation", 14, 36, "Training", 600_000_000m, "Yayasan Karang Lestari")], reviewMonths: 6),
            Targets =
            [
                new()
                {
                    Kind = "environmental", Indicator = "custom", CustomIndicator = "Live coral cover on the reef flat", Unit = "%", Baseline = 12m,
                    BaselineDate = start.AddMonths(1), BaselineSource = "Reef check transects.", Action = "increase", Quantity = 18m, Deadline = start.AddYears(6),
                    MonitoringFrequencyMonths = 6, Trend = DemoTrend.OffTrack, Method = "Photo transects, 20 m × 4", MeasuredBy = "Reef wardens with the foundation's divers",
                    ReviewSummary = "Cover fell after the marine heatwave bleached the frames; shaded frames survive best — move the next frames to 4–6 m.",
                },
                new()
                {
                    Kind = "socioEconomic", Indicator = "peopleTrained", Unit = "people", Baseline = 0m, BaselineDate = start.AddMonths(12),
                    BaselineSource = "Training register.", Action = "increase", Quantity = 60m, Deadline = start.AddYears(4), MonitoringFrequencyMonths = 6,
                    Trend = DemoTrend.OnTrack, WholeNumbers = true, Method = "Training register", MeasuredBy = "Foundation coordinator",
                    ReviewSummary = "Training on schedule; a third of the wardens are women.",
                },
            ],
            ExpectedState = "Implementation",
            Story = async (s, ct) =>
            {
                await s.RegisterAsync(ct);
                await s.StartAssessmentAsync(ct);
                await s.AssessAsync(new(c.Ago(27, 3), "A3", "Village meeting at the jetty", "Agree the reef survey.", 33, 45, 0, "Consent; fishers guide the survey."), c.Ago(27, 3), ct);
                await s.SubmitAssessmentAsync(ct);
                await s.ApproveConsentAsync(s.Actors.Approver1, "Consent records verified.", ct);
                await s.PlanAsync(new(c.Ago(19, 8), "C3", "Village meeting", "Agree no-take zone and frame sites.", 29, 40, 0, "No-take zone around the frames agreed."), c.Ago(19, 9), null, ct);
                await s.SubmitPlanAsync("Frames, training and no-take zone planned.", ct);
                await s.ApprovePlanAsync(ct);
                await s.ImplementAsync([new("Placed 260 frames with 5,200 fragments.", start.AddMonths(14), start.AddMonths(20), [0]),
                    new("Trained the first reef wardens.", start.AddMonths(14), c.Ago(2), [0, 1])], ct);
                await s.MeasureAsync(null, ct);
                await s.ReviewTargetsAsync(c.Ago(1, 5), ct);
            },
        };
    }

    // ───────────────────────── Monitoring, looped back twice: forest and wetland, Kenya ─────────────────────────

    private static DemoProject Mau(DemoCalendar c)
    {
        var start = c.Ago(54);
        var council = new DemoStakeholder("Mariashoni Ogiek community council (fictional)", "indigenousPeople", true, "Council chair, Mariashoni");
        return new()
        {
            Code = "DEMO-KE-MAU",
            Name = "Demo: Mau foothills riparian forest and springs",
            Description = Describe("Restoring the riparian forest and spring wetlands of the upper Njoro river with the forest community and the water users downstream. " +
                "The plan was adapted during implementation after a drought, and revised after the first evaluation."),
            Country = "KE",
            Region = "Nakuru County",
            EcosystemTypes = ["forest", "wetland"],
            Situation = "underRestoration",
            StartDate = start,
            LifespanYears = 10,
            Budget = 48_000_000m,
            Currency = "KES",
            LeadOrganisation = "Njoro Springs Community Forest Association (fictional)",
            Sites =
            [
                new("Kiptunga spring line (fictional)", "wetland", "communalCustomary", 35.74, -0.44, 1.2),
                new("Riparian strip, upper Njoro river", "forest", "public", 35.77, -0.46, 1.5),
                new("Sururu glade (fictional)", "forest", "public", 35.72, -0.47, 1.0),
            ],
            Stakeholders =
            [
                council,
                new("Njoro water users' association (fictional)", "landOwnersOrUsers", false),
                new("Kenya Forest Service, Nakuru station", "government", false),
                new("University soils and hydrology lab", "academia", false),
            ],
            Species = [new("Prunus africana", "Red stinkwood"), new("Juniperus procera", "African pencil cedar"), new("Dombeya torrida", "Forest dombeya")],
            Forms = Planned(Assessed("forest", 640, "Riparian forest cleared for potatoes up to the stream banks; springs trampled by cattle.",
                    "Vegetation biomass 38 t/ha; three of nine springs flowing all year.", "Forest inventory plots and spring log, 2020."),
                new DemoInstitutions("Forest Conservation and Management Act, 2016", "Ministry of Environment and Forestry", "Community Land Act, 2016",
                    "National Land Commission", "Nakuru county spatial plan", "Nakuru County Government"),
                C1("Fence springs; plant where the seed bank is gone, elsewhere let the forest come back.", "assistedNaturalRegeneration", "planting", "soilOrHydrologyRestoration"),
                new
                {
                    desiredFutureState = "A continuous riparian forest with springs that flow all year.",
                    referenceEcosystem = "The montane forest upstream in the Mau reserve.",
                    objectives = new object[]
                    {
                        new { objective = "Vegetation biomass up by 60 % in eight years.", kind = "ecological" },
                        new { objective = "45 jobs in nurseries and fencing.", kind = "socioEconomic" },
                    },
                },
                start, [new("Fence the spring line", "sitePreparation", 10, 14, "Fencing", 6_000_000m, "Community forest association"),
                    new("Nursery and planting of the riparian strip", "implementation", 12, 36, "Nursery", 14_000_000m, "Nursery group")]),
            Targets =
            [
                new()
                {
                    Kind = "environmental", Indicator = "vegetationBiomass", Unit = "t/ha", Baseline = 38m, BaselineDate = start.AddMonths(-1),
                    BaselineSource = "Forest inventory plots, 2020.", Action = "increase", Quantity = 60m, QuantityIsPercent = true, Deadline = start.AddYears(8),
                    MeasureEveryMonths = 6, Trend = DemoTrend.OnTrack, Method = "Biomass plots (allometry)", MeasuredBy = "Community monitors with the university lab",
                    ReviewSummary = "Biomass on track on the strip; the glade is slower and gets enrichment planting.",
                },
                new()
                {
                    Kind = "socioEconomic", Indicator = "jobsCreated", Unit = "jobs", Baseline = 0m, BaselineDate = start, BaselineSource = "Payroll of the association.",
                    Action = "increase", Quantity = 45m, Deadline = start.AddYears(6), Trend = DemoTrend.AtRisk, WholeNumbers = true, Method = "Payroll count",
                    MeasuredBy = "Association treasurer",
                    ReviewSummary = "Jobs behind plan since the nursery was scaled down in the drought; two new nursery contracts from next season.",
                },
                new()
                {
                    Kind = "environmental", Indicator = "waterTableDepth", Unit = "cm", Baseline = 85m, BaselineDate = c.Ago(20),
                    BaselineSource = "Piezometers installed with the revised plan.", Action = "reduce", Quantity = 30m, Deadline = start.AddYears(9),
                    MonitoringFrequencyMonths = 6, Trend = DemoTrend.OnTrack, AddedOnRevision = true, Method = "Piezometer readings, dry season",
                    MeasuredBy = "Community monitors",
                    ReviewSummary = "Water table rising at the fenced springs.",
                },
            ],
            ExpectedState = "Monitoring",
            Story = async (s, ct) =>
            {
                await s.RegisterAsync(ct);
                await s.AddTeamMemberAsync(DemoActors.Pm2, ct);
                await s.StartAssessmentAsync(ct);
                await s.AssessAsync(new(c.Ago(52, 10), "A3", "Baraza at the Mariashoni chief's camp", "Explain the assessment; ask for consent.",
                    31, 28, 0, "Consent to the assessment; elders to guide the spring survey.", 45), c.Ago(52, 11), ct);
                await s.SubmitAssessmentAsync(ct);
                await s.ApproveConsentAsync(s.Actors.Approver1, "Consent of the council verified.", ct);
                await s.PlanAsync(new(c.Ago(46, 6), "C3", "Baraza and water users' meeting", "Agree objectives and the fencing plan.", 36, 40, 0,
                    "Fencing plan agreed; grazing corridors kept open.", 50), c.Ago(46, 7), null, ct);
                await s.SubmitPlanAsync("Plan complete; targets and safeguards ready for review.", ct);
                await s.ApprovePlanAsync(ct);
                await s.ImplementAsync([new("Fenced six springs; planted 14 ha of the riparian strip.", start.AddMonths(10), start.AddMonths(16), [0, 1])], ct);
                await s.MeasureAsync(c.Ago(40), ct);
                // The first loop: a drought during implementation sends the plan back (Implementation → Planning).
                await s.LoopBackAsync("AdaptPlan", "The drought dried three springs and the nursery lost half its seedlings: plant later, rely more on natural regeneration, scale the nursery down.",
                    new Dictionary<string, object>
                    {
                        ["C1"] = C1("After the drought: regeneration first, planting only in the wet season on the strip.", "assistedNaturalRegeneration", "soilOrHydrologyRestoration", "planting"),
                    }, ct);
                await s.SubmitPlanAsync("Adapted plan: planting moved to the wet season, nursery scaled down.", ct);
                await s.ApprovePlanAsync("Later planting is sound after the drought.", "Nursery scaled down; the jobs target is kept — watch it.", ct);
                await s.MeasureAsync(c.Ago(30), ct);
                await s.StartMonitoringAsync(ct);
                await s.MeasureAsync(c.Ago(21), ct);
                await s.StartEvaluationAsync(ct);
                await s.EvaluateAsync(new(c.Ago(20, 15), "D1", "Evaluation workshop with the council and water users", "Review results after the first monitoring cycle.",
                    22, 25, 0, "Biomass on track; springs still weak; ask for a water-table target.", 30),
                    "Biomass on track; spring flow not measured by any target.", "Revise the plan: add a water-table target, piezometers at the springs.", null,
                    new DemoEvaluation(
                        "Riparian vegetation is recovering on the fenced springs; three springs still dry out in the dry season.",
                        2_350_000m, "KES",
                        [new("biodiversity", 14, "ha", "Riparian strip replanted and fenced."), new("jobsAndLivelihoods", 21, "jobs", "Nursery and fencing jobs, half of them women.")],
                        "Water users' association formed; nursery jobs below plan after the drought.",
                        "Grazing pressure moved to the unfenced springs upstream.",
                        [new(LessonTopics.Monitoring, "Biomass plots measured every season by the community scouts.",
                            "No target watched the springs, the reason the community joined.",
                            "Give every objective the community names its own indicator from the start.")]), ct);
                // The second loop: the evaluation's decision revises the plan (Evaluation → Planning).
                await s.DecideToLoopBackAsync(AdaptiveDecisions.RevisePlan, "The evaluation found no target for the springs: add a water-table target and piezometers.",
                    new Dictionary<string, object>
                    {
                        ["C3"] = new
                        {
                            desiredFutureState = "A continuous riparian forest with springs that flow all year.",
                            referenceEcosystem = "The montane forest upstream in the Mau reserve.",
                            objectives = new object[]
                            {
                                new { objective = "Vegetation biomass up by 60 % in eight years.", kind = "ecological" },
                                new { objective = "Water table 30 cm higher at the springs.", kind = "ecological" },
                                new { objective = "45 jobs in nurseries and fencing.", kind = "socioEconomic" },
                            },
                        },
                    }, ct);
                await s.AddRevisedTargetsAsync(ct);
                await s.SubmitPlanAsync("Revised plan with the water-table target.", ct);
                await s.ApprovePlanAsync("The water-table target is SMART and the piezometers are budgeted.", "Revision approved.", ct);
                await s.StartMonitoringAsync(ct);
                await s.MeasureAsync(null, ct);
                await s.ReviewTargetsAsync(c.Ago(1, 3), ct);
                await s.ReviewPlanAsync(c.Ago(1, 3), "Plan reviewed with the council: on course; springs fenced; jobs to catch up.", ct);
            },
        };
    }

    // ───────────────────────── Evaluation: marine and coastal, Viet Nam ─────────────────────────

    private static DemoProject CaMau(DemoCalendar c)
    {
        var start = c.Ago(48);
        return new()
        {
            Code = "DEMO-VN-CAMAU",
            Name = "Demo: Mangrove belt of Cà Mau cape",
            Description = Describe("Replanting and letting regrow a mangrove belt in front of the sea dike, co-managed with shrimp-farming households who keep mixed mangrove-shrimp ponds behind it."),
            Country = "VN",
            Region = "Cà Mau Province",
            EcosystemTypes = ["marineCoastal"],
            StartDate = start,
            LifespanYears = 8,
            Budget = 14_000_000_000m,
            Currency = "VND",
            LeadOrganisation = "Mũi Cà Mau Mangrove Cooperative (fictional)",
            Sites =
            [
                new("Dike front, Tân Ân hamlet (fictional)", "marineCoastal", "public", 104.87, 8.79, 0.5),
                new("Mixed mangrove-shrimp ponds (fictional)", "marineCoastal", "mixed", 104.89, 8.77, 0.5),
            ],
            Stakeholders =
            [
                new("Tân Ân shrimp-farming households (fictional hamlet)", "localCommunity", true, "Hamlet head, Tân Ân"),
                new("Provincial forest protection department", "government", false),
                new("Delta university mangrove lab", "academia", false),
            ],
            Species = [new("Rhizophora apiculata", "Đước, tall-stilt mangrove"), new("Avicennia alba", "Mắm trắng, white mangrove")],
            Forms = Planned(Assessed("marineCoastal", 420, "Mangroves cut for shrimp ponds; the coast retreats 30 m a year at the dike.",
                    "Mangrove belt 40 m wide in front of the dike; erosion 30 m/yr.", "Provincial coastline monitoring, 2021."),
                new DemoInstitutions("Law on Forestry, 2017", "Ministry of Agriculture and Rural Development", "Land Law", "Provincial department of natural resources",
                    "Provincial coastal protection forest plan", "Ngọc Hiển district people's committee"),
                C1("Fences trap silt so mangroves seed themselves; planting where the mudflat is high enough.", "planting", "naturalRegeneration", "soilOrHydrologyRestoration"),
                new
                {
                    desiredFutureState = "A mangrove belt 300 m wide that stops the erosion and feeds the ponds.",
                    referenceEcosystem = "The old-growth mangrove of the cape's national park.",
                    objectives = new object[]
                    {
                        new { objective = "180 ha of mangrove restored.", kind = "ecological" },
                        new { objective = "220 households in co-management.", kind = "socioEconomic" },
                    },
                },
                start, [new("Bamboo silt fences", "sitePreparation", 8, 14, "Fences", 2_000_000_000m, "Cooperative"),
                    new("Planting Rhizophora on raised mudflat", "implementation", 12, 30, "Planting", 4_500_000_000m, "Cooperative")], reviewMonths: 6),
            Targets =
            [
                new()
                {
                    Kind = "environmental", Indicator = "areaRestored", Unit = "ha", Baseline = 0m, BaselineDate = start.AddMonths(6),
                    BaselineSource = "Satellite image and field check.", Action = "increase", Quantity = 180m, Deadline = start.AddYears(6), MonitoringFrequencyMonths = 6,
                    Trend = DemoTrend.OnTrack, Method = "Drone survey of closed mangrove canopy", MeasuredBy = "Delta university mangrove lab",
                    ReviewSummary = "Area on course; silt fences work best on the western sector.",
                },
                new()
                {
                    Kind = "socioEconomic", Indicator = "householdsBenefiting", Unit = "households", Baseline = 0m, BaselineDate = start.AddMonths(6),
                    BaselineSource = "Cooperative membership.", Action = "increase", Quantity = 220m, Deadline = start.AddYears(5), Trend = DemoTrend.OffTrack,
                    WholeNumbers = true, Method = "Co-management contracts signed", MeasuredBy = "Cooperative secretary",
                    ReviewSummary = "Shrimp disease in the ponds: households left co-management; income support being discussed.",
                },
            ],
            ExpectedState = "Evaluation",
            Story = async (s, ct) =>
            {
                await s.RegisterAsync(ct);
                await s.StartAssessmentAsync(ct);
                await s.AssessAsync(new(c.Ago(46, 4), "A3", "Hamlet meeting", "Agree the assessment.", 41, 39, 0, "Consent to the assessment."), c.Ago(46, 4), ct);
                await s.SubmitAssessmentAsync(ct);
                await s.ApproveConsentAsync(s.Actors.Approver2, "Consent records verified.", ct);
                await s.PlanAsync(new(c.Ago(40, 10), "C3", "Hamlet meeting", "Agree co-management rules.", 44, 37, 0, "Co-management rules agreed."), c.Ago(40, 10),
                    "Households keep the right to collect crabs and shellfish in the restored belt.", ct);
                await s.SubmitPlanAsync("Plan ready for review.", ct);
                await s.ApprovePlanAsync(ct);
                await s.ImplementAsync([new("Built 3.2 km of silt fences; planted 95 ha.", start.AddMonths(8), start.AddMonths(30), [0, 1])], ct);
                await s.MeasureAsync(c.Ago(12), ct);
                await s.StartMonitoringAsync(ct);
                await s.MeasureAsync(null, ct);
                await s.ReviewTargetsAsync(c.Ago(1, 8), ct);
                await s.StartEvaluationAsync(ct);
                // The evaluation is under way: its meeting is held and D1 written; the decision (D2) is still to be taken.
                await s.EvaluateAsync(new(c.Ago(1, 12), "D1", "Evaluation meeting in the hamlet", "Review the first cycle.", 38, 35, 0,
                    "Area on track; households leaving: ask for income support.", 70),
                    "Mangrove area on course; co-management off track after shrimp disease.", null, null,
                    new DemoEvaluation(
                        "Mangrove cover is back on 95 ha; the silt fences trap sediment as planned.",
                        null, null,
                        [new("coastalProtection", 3.2m, "km", "Shoreline behind the silt fences no longer eroding.")],
                        "Households left the co-management group after the shrimp disease; income support asked for.",
                        "Crab collectors moved into the youngest plots.",
                        [new(LessonTopics.Implementation, "Silt fences built before planting kept the seedlings in place.",
                            "Planting dates ignored the crab collectors' calendar.",
                            "Plan planting with the collectors' calendar and mark the young plots.")]), ct);
            },
        };
    }

    // ───────────────────────── EvaluationReview: wetland, China ─────────────────────────

    private static DemoProject Qinglu(DemoCalendar c)
    {
        var start = c.Ago(60);
        return new()
        {
            Code = "DEMO-CN-QINGLU",
            Name = "Demo: 青芦湖湿地恢复 Qinglu Lake wetland restoration",
            Description = Describe("退垸还湖：拆除围垸、恢复沉水植物和芦苇沼泽。Returning embanked fish ponds to the lake, replanting submerged plants and reed marsh, with the fishers' cooperative turning to eco-tourism. The manager has asked to close it."),
            Country = "CN",
            Region = "湖北省 Hubei",
            EcosystemTypes = ["wetland", "inlandWater"],
            Situation = "underRestoration",
            StartDate = start,
            LifespanYears = 8,
            Budget = 26_000_000m,
            Currency = "CNY",
            LeadOrganisation = "青芦湖湿地保护站 Qinglu Lake Wetland Station (fictional)",
            Sites =
            [
                new("北岸退垸还湖区 North shore polder returned to the lake", "wetland", "public", 113.29, 29.89, 2.0),
                new("东湾芦苇沼泽 East bay reed marsh", "wetland", "mixed", 113.33, 29.92, 1.5),
            ],
            Stakeholders =
            [
                new("青芦湖渔民合作社 Qinglu fishers' cooperative (fictional)", "localCommunity", true, "合作社主任 cooperative head"),
                new("镇人民政府 Township government", "government", false),
                new("省湿地研究组 Provincial wetland research group", "academia", false),
            ],
            Species = [new("Vallisneria natans", "苦草 eelgrass"), new("Phragmites australis", "芦苇 common reed")],
            Forms = Planned(Assessed("wetland", 1900, "围垸养鱼使湖面缩小、水质恶化。Embanked fish ponds cut the lake in two; the water turned turbid.",
                    "Water quality index 48; submerged plants on 5 % of the bed.", "Provincial water monitoring station, 2020."),
                new DemoInstitutions("湿地保护法 Wetlands Conservation Law, 2022", "Ministry of Ecology and Environment", "Rural Land Contract Law",
                    "County natural resources bureau", "County land-use master plan", "县人民政府 County government"),
                C1("Remove the embankments; plant submerged plants where the seed bank is gone.", "soilOrHydrologyRestoration", "planting", "naturalRegeneration"),
                new
                {
                    desiredFutureState = "A clear-water lake with submerged meadows and reed marsh, used for fishing and eco-tourism.",
                    referenceEcosystem = "The lake's western basin, never embanked.",
                    objectives = new object[]
                    {
                        new { objective = "Water quality index up by 25 points.", kind = "ecological" },
                        new { objective = "USD 350,000 a year of eco-tourism income for the cooperative.", kind = "socioEconomic" },
                    },
                },
                start, [new("Remove the polder embankments", "sitePreparation", 8, 14, "Earthworks", 9_000_000m, "County water bureau"),
                    new("Replant submerged plants", "implementation", 14, 30, "Planting", 4_000_000m, "Wetland station")], reviewMonths: 6),
            Targets =
            [
                new()
                {
                    Kind = "environmental", Indicator = "waterQualityIndex", Unit = "points", Baseline = 48m, BaselineDate = start.AddMonths(2),
                    BaselineSource = "Provincial water monitoring station.", Action = "increase", Quantity = 25m, Deadline = start.AddYears(6), MonitoringFrequencyMonths = 6,
                    Trend = DemoTrend.OnTrack, Method = "Monthly samples, yearly mean", MeasuredBy = "Wetland station laboratory",
                    ReviewSummary = "水质持续改善。Water quality improving as planned.",
                },
                new()
                {
                    Kind = "socioEconomic", Indicator = "incomeFromRestoration", Unit = "USD", Baseline = 0m, BaselineDate = start.AddMonths(12),
                    BaselineSource = "Cooperative accounts.", Action = "increase", Quantity = 350000m, Deadline = start.AddYears(7), Trend = DemoTrend.AtRisk,
                    Method = "Cooperative accounts", MeasuredBy = "Cooperative accountant",
                    ReviewSummary = "Eco-tourism income behind plan after two closed seasons; boardwalk opens next spring.",
                },
            ],
            ExpectedState = "EvaluationReview",
            Story = async (s, ct) =>
            {
                await s.RegisterAsync(ct);
                await s.StartAssessmentAsync(ct);
                await s.AssessAsync(new(c.Ago(58, 6), "A3", "合作社大会 Cooperative assembly", "Agree the assessment.", 36, 58, 0, "Consent to the assessment."), c.Ago(58, 6), ct);
                await s.SubmitAssessmentAsync(ct);
                await s.ApproveConsentAsync(s.Actors.Approver1, "Consent records verified.", ct);
                await s.PlanAsync(new(c.Ago(52, 20), "C3", "合作社大会 Cooperative assembly", "Agree the plan and the fishing rules.", 33, 61, 0,
                    "Seasonal fishing ban in the replanted bays agreed.", 80), c.Ago(52, 21), null, ct);
                await s.SubmitPlanAsync("Plan ready for review.", ct);
                await s.ApprovePlanAsync(ct);
                await s.ImplementAsync([new("Removed 4.8 km of embankment; replanted 120 ha of submerged plants.", start.AddMonths(8), start.AddMonths(30), [0, 1])], ct);
                await s.MeasureAsync(c.Ago(24), ct);
                await s.StartMonitoringAsync(ct);
                await s.MeasureAsync(null, ct);
                await s.ReviewTargetsAsync(c.Ago(2, 10), ct);
                await s.StartEvaluationAsync(ct);
                await s.EvaluateAsync(new(c.Ago(1, 6), "D1", "评估会 Evaluation meeting", "Evaluate with the cooperative and township.", 29, 47, 0,
                    "Lake recovered; income to follow with the boardwalk.", 60),
                    "Water quality target met early; income behind plan.", "Continue monitoring after closure; the cooperative runs the boardwalk.",
                    "Results presented at the provincial wetland forum; data published.",
                    new DemoEvaluation(
                        "Water quality reached class III a year early; submerged plants cover 120 ha.",
                        18_600_000m, "CNY",
                        [new("waterSecurity", 1, "class", "Lake water up one quality class."), new("biodiversity", 120, "ha", "Submerged plant beds replanted.")],
                        "Fishing income fell during the seasonal ban; the boardwalk is to replace it.",
                        "More water birds than expected feed on the replanted beds.",
                        [new(LessonTopics.Funding, "County and provincial funds pooled in one account.", "Income support after the fishing ban was not budgeted.",
                            "Budget the livelihood bridge before any access rule starts."),
                         new(LessonTopics.Planning, "The cooperative agreed the fishing rules before the works.", "The boardwalk came late in the plan.",
                            "Plan income measures alongside the ecological works, not after them.")]), ct);
                await s.DecideToCloseAsync("Restoration works complete; monitoring continues under the wetland station.", ct);
            },
        };
    }

    // ───────────────────────── Closed: forest, Brazil ─────────────────────────

    private static DemoProject SerraVerde(DemoCalendar c)
    {
        var start = c.Ago(72);
        return new()
        {
            Code = "DEMO-BR-SERRA",
            Name = "Demo: Atlantic Forest corridor, Serra Verde",
            Description = Describe("Reconnecting two Atlantic Forest fragments across degraded pasture, with the valley's landowners and a quilombola community. Closed after its targets were met; monitoring goes on."),
            Country = "BR",
            Region = "Minas Gerais",
            EcosystemTypes = ["forest"],
            Situation = "underRestoration",
            StartDate = start,
            LifespanYears = 6,
            Budget = 3_900_000m,
            Currency = "BRL",
            LeadOrganisation = "Instituto Mata Viva (fictional)",
            Sites =
            [
                new("Fazenda Boa Vista pasture (fictional)", "forest", "private", -42.52, -20.02, 1.8),
                new("Córrego Fundo gallery forest (fictional)", "forest", "communalCustomary", -42.47, -19.98, 1.2),
            ],
            Stakeholders =
            [
                new("Quilombola community of Córrego Fundo (fictional)", "localCommunity", true, "Community association president"),
                new("Landowners of the Serra Verde valley (fictional)", "landOwnersOrUsers", false),
                new("State forest institute, regional office", "government", false),
            ],
            Species = [new("Cedrela fissilis", "Cedro-rosa"), new("Handroanthus serratifolius", "Ipê-amarelo"), new("Inga vera", "Ingá-do-brejo")],
            Forms = Planned(Assessed("forest", 380, "Pasture between two forest fragments; gallery forest reduced to a thin strip.",
                    "Tree cover 18 % on the corridor.", "Municipal land-cover map, 2018."),
                new DemoInstitutions("Native Vegetation Protection Law (Law 12.651/2012)", "Ministry of the Environment", "Rural Environmental Registry (CAR)",
                    "State forest institute", "Municipal master plan", "Municipal government"),
                C1("Planting islands of native trees speeds up regeneration in the pasture.", "planting", "assistedNaturalRegeneration"),
                new
                {
                    desiredFutureState = "A forest corridor wide enough for muriquis to cross between the fragments.",
                    referenceEcosystem = "The semi-deciduous forest of the state park nearby.",
                    objectives = new object[]
                    {
                        new { objective = "Tree cover up to 58 % on the corridor.", kind = "ecological" },
                        new { objective = "30 jobs in the nursery and planting.", kind = "socioEconomic" },
                    },
                },
                start, [new("Community nursery", "sitePreparation", 6, 12, "Nursery", 400_000m, "Quilombola association"),
                    new("Planting islands across the pasture", "implementation", 12, 36, "Planting", 1_900_000m, "Instituto Mata Viva")]),
            Targets =
            [
                new()
                {
                    Kind = "environmental", Indicator = "treeCover", Unit = "%", Baseline = 18m, BaselineDate = start.AddMonths(-6), BaselineSource = "Municipal land-cover map.",
                    Action = "increase", Quantity = 40m, Deadline = c.Ago(3), Trend = DemoTrend.OnTrack, Method = "Canopy cover from drone imagery",
                    MeasuredBy = "Instituto Mata Viva GIS team", ReviewSummary = "Tree cover target reached.",
                },
                new()
                {
                    Kind = "socioEconomic", Indicator = "jobsCreated", Unit = "jobs", Baseline = 0m, BaselineDate = start, BaselineSource = "Payroll.",
                    Action = "increase", Quantity = 30m, Deadline = c.Ago(6), Trend = DemoTrend.OnTrack, WholeNumbers = true, Method = "Payroll count",
                    MeasuredBy = "Instituto Mata Viva", ReviewSummary = "Nursery now run by the quilombola association.",
                },
            ],
            ExpectedState = "Closed",
            Story = async (s, ct) =>
            {
                await s.RegisterAsync(ct);
                await s.StartAssessmentAsync(ct);
                await s.AssessAsync(new(c.Ago(70, 8), "A3", "Community assembly", "Agree the assessment.", 24, 21, 0, "Consent to the assessment."), c.Ago(70, 8), ct);
                await s.SubmitAssessmentAsync(ct);
                await s.ApproveConsentAsync(s.Actors.Approver2, "Consent records verified.", ct);
                await s.PlanAsync(new(c.Ago(64, 3), "C3", "Assembly with landowners", "Agree corridor route.", 26, 30, 0, "Corridor route agreed.", 30), c.Ago(64, 4), null, ct);
                await s.SubmitPlanAsync("Plan ready for review.", ct);
                // The first submission comes back: the nursery's running costs are not in the plan.
                await s.Driver.DecideAsync(s.Actors.Approver2, "reject", "C4 has no budget for running the nursery after year two; add it.", ct);
                await s.Driver.FormAsync("C4", DemoForms.Implementation(start,
                    [new("Community nursery", "sitePreparation", 6, 12, "Nursery", 400_000m, "Quilombola association"),
                        new("Nursery running costs, years 2–5", "followUp", 12, 60, "Nursery", 350_000m, "Quilombola association"),
                        new("Planting islands across the pasture", "implementation", 12, 36, "Planting", 1_900_000m, "Instituto Mata Viva")],
                    "Tree cover measured yearly; survival of planted trees above 80 %.", Questions), ct);
                await s.SubmitPlanAsync("Nursery running costs added to C4.", ct);
                await s.ApprovePlanAsync(ct);
                await s.ImplementAsync([new("Planted 62,000 seedlings in 410 islands.", start.AddMonths(12), start.AddMonths(36), [0, 1])], ct);
                await s.MeasureAsync(c.Ago(30), ct);
                await s.StartMonitoringAsync(ct);
                await s.MeasureAsync(c.Ago(7), ct);
                await s.ReviewTargetsAsync(c.Ago(3, 20), ct);
                await s.StartEvaluationAsync(ct);
                await s.EvaluateAsync(new(c.Ago(3, 25), "D1", "Final evaluation with the community and landowners", "Evaluate the corridor.", 19, 23, 0,
                    "Targets met; muriquis seen crossing.", 20),
                    "Both targets met; first muriqui crossing recorded.", "Close; monitoring continues for five years under the landowners' association.",
                    "Lessons shared with the state restoration pact.",
                    new DemoEvaluation(
                        "Tree cover of the corridor reached 41 %; the first muriqui crossing was recorded.",
                        2_650_000m, "BRL",
                        [new("biodiversity", 410, "islands", "Planting islands linking the two forest fragments."), new("carbonCaptureAndStorage", 5_200, "t CO2e", "Estimated from the tree-cover plots.")],
                        "Eleven quilombola members employed in the nursery for five years.",
                        "Cattle sheltered in the planting islands in the dry season.",
                        [new(LessonTopics.Planning, "Planting islands instead of full planting halved the cost.", "The nursery's running costs were left out of the first plan.",
                            "Cost the running of every facility for its whole life in C4."),
                         new(LessonTopics.Monitoring, "Camera traps confirmed the crossing the plan aimed for.", "Survival counts were late in the first year.",
                            "Hand monitoring to the landowners' association with a budget before closing.")]), ct);
                await s.DecideToCloseAsync("Targets met; monitoring handed over to the landowners' association.", ct);
                await s.Driver.DecideAsync(s.Actors.Approver2, "approve", "Evaluation complete; closure approved.", ct);
                // Monitoring goes on after closure (D2).
                await s.MeasureAsync(null, ct);
            },
        };
    }

    // ───────────────────────── Suspended: other terrestrial, South Africa ─────────────────────────

    private static DemoProject Kamiesberg(DemoCalendar c)
    {
        var start = c.Ago(36);
        var heritage = new DemoStakeholder("Nama heritage council of Kamiesberg (fictional)", "indigenousPeople", true, "Council secretary");
        return new()
        {
            Code = "DEMO-ZA-KAMIES",
            Name = "Demo: Succulent Karoo shrubland, Kamiesberg",
            Description = Describe("Healing gullies and resting overgrazed succulent shrubland on communal land. Suspended: the heritage council withdrew its consent when the gully works reached a burial site."),
            Country = "ZA",
            Region = "Northern Cape",
            EcosystemTypes = ["otherTerrestrial"],
            NaturallyLowTreeCover = true,
            StartDate = start,
            LifespanYears = 10,
            Budget = 7_400_000m,
            Currency = "ZAR",
            LeadOrganisation = "Kamiesberg Rangeland Trust (fictional)",
            ManagerEmail = DemoActors.Pm2,
            Sites =
            [
                new("Rooiberg communal grazing camp (fictional)", "otherTerrestrial", "communalCustomary", 18.0, -30.2, 2.5),
                new("Leeu river gully (fictional)", "otherTerrestrial", "communalCustomary", 18.06, -30.17, 1.5),
            ],
            Stakeholders =
            [
                new("Rooiberg communal grazing association (fictional)", "localCommunity", true, "Association chair"),
                heritage,
                new("Provincial agriculture department", "government", false),
            ],
            Forms = Planned(Assessed("otherTerrestrial", 2600, "Gullies cut through the camp after decades of continuous grazing; succulent cover lost.",
                    "Soil loss 14 t/ha/yr; perennial cover 22 %.", "Agricultural research council erosion survey, 2021."),
                new DemoInstitutions("National Environmental Management: Biodiversity Act, 2004", "Department of Forestry, Fisheries and the Environment",
                    "Communal Land Rights framework", "Department of Agriculture, Land Reform and Rural Development", "Municipal spatial development framework",
                    "Kamiesberg Local Municipality"),
                C1("Stone packs and brush in the gullies; rest the camp so succulents recover.", "soilOrHydrologyRestoration", "naturalRegeneration"),
                new
                {
                    desiredFutureState = "Stable gullies and a rested camp with its succulent cover back.",
                    referenceEcosystem = "The rested camps of the neighbouring conservancy.",
                    objectives = new object[]
                    {
                        new { objective = "Soil loss down by 40 %.", kind = "ecological" },
                        new { objective = "80 community members trained in rangeland care.", kind = "socioEconomic" },
                    },
                },
                start, [new("Gully stabilisation", "implementation", 14, 36, "Earthworks", 2_800_000m, "Rangeland trust"),
                    new("Rangeland care training", "implementation", 14, 30, "Training", 600_000m, "Grazing association")], reviewMonths: 6),
            Targets =
            [
                new()
                {
                    Kind = "environmental", Indicator = "soilLoss", Unit = "t/ha/yr", Baseline = 14m, BaselineDate = start.AddMonths(2), BaselineSource = "Erosion survey.",
                    Action = "reduce", Quantity = 40m, QuantityIsPercent = true, Deadline = start.AddYears(6), MonitoringFrequencyMonths = 6, Trend = DemoTrend.AtRisk,
                    Method = "Erosion pins and sediment traps", MeasuredBy = "Rangeland trust field team",
                    ReviewSummary = "Soil loss falling more slowly than planned; two gullies still active.",
                },
                new()
                {
                    Kind = "socioEconomic", Indicator = "peopleTrained", Unit = "people", Baseline = 0m, BaselineDate = start.AddMonths(12), BaselineSource = "Training register.",
                    Action = "increase", Quantity = 80m, Deadline = start.AddYears(4), MonitoringFrequencyMonths = 6, Trend = DemoTrend.OnTrack, WholeNumbers = true,
                    Method = "Training register", MeasuredBy = "Grazing association secretary", ReviewSummary = "Training on schedule.",
                },
            ],
            ExpectedState = "Suspended",
            Story = async (s, ct) =>
            {
                await s.RegisterAsync(ct);
                await s.StartAssessmentAsync(ct);
                await s.AssessAsync(new(c.Ago(34, 10), "A3", "Meeting at the community hall", "Agree the assessment.", 28, 26, 1, "Consent to the assessment."), c.Ago(34, 10), ct);
                await s.SubmitAssessmentAsync(ct);
                await s.ApproveConsentAsync(s.Actors.Approver1, "Consent records verified.", ct);
                await s.PlanAsync(new(c.Ago(25, 5), "C3", "Meeting at the community hall", "Agree the grazing rest plan.", 31, 27, 0, "Rest rotation agreed."), c.Ago(25, 6),
                    "No earthworks within 50 m of graves or heritage sites without the heritage council's walk-through.", ct);
                await s.SubmitPlanAsync("Plan ready for review.", ct);
                await s.ApprovePlanAsync(ct);
                await s.ImplementAsync([new("Stone packs in 14 gullies; camp rested.", start.AddMonths(14), c.Ago(3), [0, 1])], ct);
                await s.MeasureAsync(null, ct);
                await s.ReviewTargetsAsync(c.Ago(2, 10), ct);
                await s.WithdrawConsentAsync(heritage, c.Ago(1, 4),
                    "The gully works at the Leeu river reached a burial site without the agreed walk-through; consent withdrawn until a new agreement.", ct);
            },
        };
    }

    // ───────────────────────── Cancelled: cropland, Morocco ─────────────────────────

    private static DemoProject AntiAtlas(DemoCalendar c) => new()
    {
        Code = "DEMO-MA-TIFAWIN",
        Name = "Demo: Dryland terraces of the Anti-Atlas",
        Description = Describe("Rebuilding dry-stone terraces and replanting almond and argan on abandoned village fields. Cancelled during the assessment: the commune allocated the terraces to an irrigation scheme."),
        Country = "MA",
        Region = "Souss-Massa",
        EcosystemTypes = ["cropland", "otherTerrestrial"],
        StartDate = c.Ago(14),
        LifespanYears = 6,
        Budget = 2_100_000m,
        Currency = "MAD",
        LeadOrganisation = "Association Tifawin des terrasses (fictional)",
        ManagerEmail = DemoActors.Pm2,
        Sites = [new("Terraces below the agadir of Ait Tifawin (fictional)", "cropland", "communalCustomary", -8.9, 29.7, 1.0)],
        Stakeholders =
        [
            new("Jmaa (village assembly) of Ait Tifawin (fictional)", "indigenousPeople", true, "Assembly secretary"),
            new("Commune council", "government", false),
        ],
        Forms = new Dictionary<string, object>
        {
            ["A1"] = new
            {
                extentHectares = 85,
                ecosystemTypes = new[] { "cropland", "otherTerrestrial" },
                degradationType = "functionDecline",
                degree = "moderate",
                location = "Terraces abandoned as young people left; walls collapsing in every storm.",
                drivers = new[] { "landUseChange", "climateChange" },
            },
        },
        ExpectedState = "Cancelled",
        Story = async (s, ct) =>
        {
            await s.RegisterAsync(ct);
            await s.StartAssessmentAsync(ct);
            await s.AssessAsync(new(c.Ago(11, 15), "A3", "Jmaa meeting", "Present the idea of the project.", 18, 23, 0, "The assembly wants to wait for the commune's decision."), null, ct);
            await s.CancelAsync("The commune allocated the terraces to a new irrigation scheme and the assembly asked to stop; no work had started.", ct);
        },
    };

    // ───────────────────────── Shared form content ─────────────────────────

    /// <summary>C1: the measures chosen and why.</summary>
    private static object C1(string justification, params string[] measures) => new { measures, justification };

    private static readonly string[] Questions = ["Is the target indicator moving along its trajectory?", "Are the communities' benefits arriving as agreed?"];

    /// <summary>A1, A2, A4, A5 and A6 of a project whose assessment is complete.</summary>
    private static Dictionary<string, object> Assessed(string ecosystem, decimal extent, string location, string baseline, string baselineSource) => new(StringComparer.Ordinal)
    {
        ["A1"] = new
        {
            extentHectares = extent,
            ecosystemTypes = new[] { ecosystem },
            degradationType = "both",
            degree = "severe",
            location,
            drivers = new[] { "landUseChange", "overExploitation", "climateChange" },
        },
        ["A2"] = new
        {
            biodiversityPriority = true,
            ecosystemServices = true,
            protectedAreaConnectivity = true,
            justification = "Named in the regional biodiversity plan; supplies water and food to the communities; links protected areas.",
        },
        ["A4"] = new
        {
            estimatedCost = extent * 1000,
            currency = "USD",
            benefits = new object[]
            {
                new { category = "biodiversity", estimate = extent, unit = "ha of habitat", description = "Habitat restored" },
                new { category = "jobsAndLivelihoods", estimate = 40, unit = "jobs" },
            },
            costOfInaction = "Degradation spreads and the communities lose the services the area gives.",
        },
        ["A5"] = new
        {
            frameworks = "National restoration commitments; regional land-use plan.",
            financialResources = "National programme, a donor grant and community labour.",
            technicalResources = "University partner; the communities' traditional knowledge.",
            gaps = "Funding after the first years; monitoring skills.",
        },
        ["A6"] = new
        {
            measures = new object[] { new { driver = "landUseChange", measure = "Agree land-use rules with the users of the sites." } },
            baseline,
            preDegradation = false,
            baselineSource,
            baselineSetBy = "Experts with the communities' elders.",
        },
    };

    /// <summary>The assessment forms plus a complete plan: B1–B9 from the institutions, C1 and C3 as given, C2 and C4 from the tasks.</summary>
    private static Dictionary<string, object> Planned(Dictionary<string, object> assessed, DemoInstitutions institutions, object c1, object c3, DateOnly start,
        IReadOnlyList<DemoTask> tasks, int reviewMonths = 12)
    {
        var forms = new Dictionary<string, object>(assessed, StringComparer.Ordinal);
        foreach (var (code, values) in DemoForms.Enabling(institutions))
            forms[code] = values;
        forms["C1"] = c1;
        forms["C2"] = DemoForms.Landscape($"Part of the {institutions.SpatialPlan}.", "Neighbouring land users consulted on access and water.");
        forms["C3"] = c3;
        forms["C4"] = DemoForms.Implementation(start, tasks, "Targets measured on the schedule of each; results reviewed with the communities.", Questions, reviewMonths);
        return forms;
    }
}
