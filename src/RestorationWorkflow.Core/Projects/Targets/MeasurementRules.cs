using System.Globalization;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects.Targets;

/// <summary>A measurement as the API, the page or one CSV row sends it; null where the caller left a field out.</summary>
public sealed record MeasurementInput(
    DateOnly? MeasuredOn, decimal? Value, string? Unit, string? Method, string? MeasuredBy, Guid? EvidenceFileId, string? Notes);

/// <summary>
/// The rules of one measurement that need no database, pure, each broken one named by its field in both languages
/// (the API, the page and the CSV import use the same): a date (ISO, not in the future), a value, the target's unit
/// exactly, a method and who measured; notes optional.
/// </summary>
public static class MeasurementRules
{
    public const int MaxMethod = 200;
    public const int MaxMeasuredBy = 200;
    public const int MaxNotes = 2000;

    /// <summary>The largest magnitude stored (18 digits, 4 after the point).</summary>
    public const decimal MaxMagnitude = 99_999_999_999_999m;

    /// <summary>Each broken rule under its field (<c>measuredOn</c>, <c>value</c>, <c>unit</c>, <c>method</c>, <c>measuredBy</c>, <c>notes</c>).</summary>
    /// <param name="input">The measurement.</param>
    /// <param name="targetUnit">The unit of the target it measures.</param>
    /// <param name="today">Today (UTC): a measurement cannot be dated later.</param>
    public static IReadOnlyDictionary<string, LocalizedText> Check(MeasurementInput input, string targetUnit, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(targetUnit);
        var problems = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
        if (input.MeasuredOn is not { } on)
            problems["measuredOn"] = new("The date of the measurement is required (YYYY-MM-DD).", "测量日期为必填项（YYYY-MM-DD）。");
        else if (on.Year < 1900)
            problems["measuredOn"] = new("The date of the measurement must be 1900-01-01 or later.", "测量日期必须在 1900-01-01 或之后。");
        else if (on > today)
        {
            var day = Day(today);
            problems["measuredOn"] = new($"The date of the measurement cannot be in the future (today is {day}).", $"测量日期不能晚于今天（{day}）。");
        }
        if (input.Value is not { } value)
            problems["value"] = new("The measured value is required (a number such as 12.5).", "测量值为必填项（数字，例如 12.5）。");
        else if (Math.Abs(value) > MaxMagnitude || value != Math.Round(value, 4))
            problems["value"] = new("The value may have at most 14 digits before the decimal point and 4 after it.", "测量值整数部分最多 14 位，小数部分最多 4 位。");
        var unit = input.Unit?.Trim();
        var label = TargetUnits.Label(targetUnit);
        if (string.IsNullOrEmpty(unit))
            problems["unit"] = new($"The unit is required: the target's unit, {targetUnit}.", $"单位为必填项：目标的单位 {targetUnit}（{label.ZhHans}）。");
        else if (!string.Equals(unit, targetUnit, StringComparison.Ordinal))
            problems["unit"] = new($"The unit must be the target's unit, {targetUnit}; convert the value before recording it (got '{Cut(unit)}').",
                $"单位必须是目标的单位 {targetUnit}（{label.ZhHans}）；请先换算再记录（收到“{Cut(unit)}”）。");
        Required(problems, "method", input.Method, MaxMethod, "The method", "测量方法");
        Required(problems, "measuredBy", input.MeasuredBy, MaxMeasuredBy, "Who measured", "测量人");
        if (input.Notes is { } notes && notes.Trim().Length > MaxNotes)
            problems["notes"] = new($"The notes may have at most {MaxNotes} characters.", $"备注最多 {MaxNotes} 个字符。");
        return problems;
    }

    /// <summary>The stored form of a valid input (text trimmed).</summary>
    public static MeasurementDetails Normalize(Guid targetId, MeasurementInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MeasurementDetails(targetId, input.MeasuredOn!.Value, input.Value!.Value, input.Unit!.Trim(), input.Method!.Trim(),
            input.MeasuredBy!.Trim(), input.EvidenceFileId, input.Notes?.Trim() ?? "");
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Required(Dictionary<string, LocalizedText> problems, string field, string? value, int max, string en, string zh)
    {
        if (string.IsNullOrWhiteSpace(value))
            problems[field] = new($"{en} is required.", $"{zh}为必填项。");
        else if (value.Trim().Length > max)
            problems[field] = new($"{en} may have at most {max} characters.", $"{zh}最多 {max} 个字符。");
    }

    private static string Cut(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 39), "…");
}
