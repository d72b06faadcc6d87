using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary>
/// One measurement's rules as the API, the pages and the CSV import apply them: <see cref="MeasurementRules"/> (Core)
/// and the free-text rules of <see cref="TextRules"/> for the method, who measured and the notes.
/// </summary>
public static class MeasurementValidation
{
    private static readonly (string Field, bool Multiline)[] TextFields = [("method", false), ("measuredBy", false), ("notes", true)];

    public static IReadOnlyDictionary<string, LocalizedText> Check(MeasurementInput input, string targetUnit, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(input);
        var problems = new Dictionary<string, LocalizedText>(MeasurementRules.Check(input, targetUnit, today), StringComparer.Ordinal);
        foreach (var (field, multiline) in TextFields)
        {
            if (!problems.ContainsKey(field) && TextRules.Problem(TextOf(input, field), multiline) is { } problem)
                problems[field] = new(problem, "文本包含控制字符、双向覆盖字符或仅有不可见字符，不能接受。");
        }
        if (!problems.ContainsKey("unit") && TextRules.Problem(input.Unit) is { } unitProblem)
            problems["unit"] = new(unitProblem, "文本包含控制字符、双向覆盖字符或仅有不可见字符，不能接受。");
        return problems;
    }

    /// <summary>The free-text rules alone, before anything is loaded (the command path's validation step).</summary>
    public static void ValidateText(MeasurementInput input, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var (field, multiline) in TextFields)
            CreateProject.ValidateText(errors, field, TextOf(input, field), multiline);
        CreateProject.ValidateText(errors, "unit", input.Unit);
    }

    private static string? TextOf(MeasurementInput input, string field) => field switch
    {
        "method" => input.Method,
        "measuredBy" => input.MeasuredBy,
        _ => input.Notes,
    };
}
