using System.Globalization;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects;

/// <summary>The scales a project works at (annex, paragraph 5: "国家、区域、国家以下各级和保护点一级"), with their Chinese names from it.</summary>
public static class ProjectScales
{
    public static readonly IReadOnlyList<(string Code, LocalizedText Label)> All =
    [
        ("national", new("National", "国家")),
        ("subNational", new("Sub-national", "国家以下各级")),
        ("site", new("Site", "保护点一级")),
    ];

    public static bool IsKnown(string? code) => All.Any(t => t.Code == code);

    public static LocalizedText Label(string code) => All.FirstOrDefault(t => t.Code == code).Label ?? new LocalizedText(code, code);
}

/// <summary>The situations the plan applies to (annex, paragraph 7 (a)–(c)), with their Chinese names from it.</summary>
public static class ProjectSituations
{
    public static readonly IReadOnlyList<(string Code, LocalizedText Label)> All =
    [
        ("underRestoration", new("Already under restoration", "生态系统已在恢复中")),
        ("identifiedConsidered", new("Degraded, identified and considered for restoration", "已确认且考虑要恢复的已退化的生态系统")),
        ("notYetConsidered", new("Degraded, not yet considered for restoration", "尚未考虑恢复的已退化的生态系统")),
    ];

    public static bool IsKnown(string? code) => All.Any(t => t.Code == code);

    public static LocalizedText Label(string code) => All.FirstOrDefault(t => t.Code == code).Label ?? new LocalizedText(code, code);
}

/// <summary>The limits of the registry fields, shared by the model, the commands and the pages.</summary>
public static class ProjectRegistryRules
{
    public const int CodeMaxLength = 32;

    public const int TextMaxLength = 200;

    public const int MaxLifespanYears = 200;

    public const decimal MaxBudget = 1_000_000_000_000m;

    /// <summary>The earliest and latest start dates accepted (a typo such as 0202 or 20266 is refused).</summary>
    public static readonly DateOnly EarliestStart = new(1900, 1, 1);

    public static readonly DateOnly LatestStart = new(2200, 12, 31);

    /// <summary>The label of the "naturally low tree cover" field: annex, appendix 1 ("拥有天然的低林木植的生态系统").</summary>
    public static readonly LocalizedText NaturallyLowTreeCoverLabel = new("Naturally low in tree cover", "拥有天然的低林木植的生态系统");

    /// <summary>
    /// A project code: letters, digits, '-', '_', '.' and '/', starting with a letter or digit. Stored upper case, so
    /// uniqueness does not depend on case.
    /// </summary>
    public static bool IsCodeWellFormed(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length is 0 or > CodeMaxLength || !char.IsAsciiLetterOrDigit(code[0]))
            return false;
        foreach (var c in code)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
                return false;
        }
        return true;
    }

    /// <summary>The prefix of a generated code: <c>{country}-{year}-</c>.</summary>
    public static string GeneratedPrefix(string country, int year) =>
        string.Create(CultureInfo.InvariantCulture, $"{country.Trim().ToUpperInvariant()}-{year:D4}-");
}

/// <summary>
/// ISO 4217 currency codes in use (list one of the standard's maintenance agency; funds, precious metals and
/// testing codes such as XAU, XTS and XXX are left out: a budget is money).
/// </summary>
public static class Currencies
{
    private const string Codes =
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD " +
        "CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF " +
        "GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR " +
        "LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK " +
        "PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS " +
        "TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL";

    private static readonly HashSet<string> Set = [.. Codes.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    public static IReadOnlyCollection<string> All => Set;

    public static bool IsKnown(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return Set.Contains(code.ToUpperInvariant());
    }
}
