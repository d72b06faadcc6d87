using System.Globalization;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects.Targets;

/// <summary>
/// A target as one sentence in each language, the form C3 of the seed gives an objective: an action, an indicator,
/// a quantity and a time limit ("Increase vegetation biomass by 50 % by 2031-06-30" / "到 2031-06-30 将植被生物量增加
/// 50%"). The verbs are the seed's (减轻、增加、维持). To maintain without a quantity keeps the baseline; with an absolute
/// quantity it keeps that level; with a percentage it keeps within that share of the baseline.
/// </summary>
public static class TargetSentence
{
    public static LocalizedText For(TargetDetails target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var label = target.IndicatorLabel;
        var en = LowerFirst(label.En);
        var zh = label.ZhHans;
        var unit = TargetUnits.Label(target.Unit);
        var date = target.Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var amountEn = target.Quantity is { } q ? (target.QuantityIsPercent ? $"{Number(q)} %" : AmountEn(q, unit)) : "";
        var amountZh = target.Quantity is { } q2 ? (target.QuantityIsPercent ? $"{Number(q2)}%" : AmountZh(q2, unit)) : "";
        return target.Action switch
        {
            TargetActions.Increase => new($"Increase {en} by {amountEn} by {date}", $"到 {date} 将{zh}增加 {amountZh}"),
            TargetActions.Reduce => new($"Reduce {en} by {amountEn} by {date}", $"到 {date} 将{zh}减轻 {amountZh}"),
            _ when target.Quantity is null => new(
                $"Maintain {en} at the baseline of {AmountEn(target.Baseline.Value, unit)} until {date}",
                $"到 {date} 将{zh}维持在基线水平 {AmountZh(target.Baseline.Value, unit)}"),
            _ when target.QuantityIsPercent => new(
                $"Maintain {en} within {amountEn} of the baseline of {AmountEn(target.Baseline.Value, unit)} until {date}",
                $"到 {date} 将{zh}维持在基线（{AmountZh(target.Baseline.Value, unit)}）上下 {amountZh} 以内"),
            _ => new($"Maintain {en} at {amountEn} until {date}", $"到 {date} 将{zh}维持在 {amountZh}"),
        };
    }

    /// <summary>A number as written in both languages: invariant digits, no trailing zeros.</summary>
    public static string Number(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string AmountEn(decimal value, LocalizedText unit) => unit.En == "%" ? $"{Number(value)} %" : $"{Number(value)} {unit.En}";

    private static string AmountZh(decimal value, LocalizedText unit) => unit.ZhHans == "%" ? $"{Number(value)}%" : $"{Number(value)} {unit.ZhHans}";

    /// <summary>"Vegetation biomass" reads "vegetation biomass" mid-sentence; "NDVI" or "pH" stay as they are.</summary>
    private static string LowerFirst(string label) =>
        label.Length > 1 && char.IsUpper(label[0]) && char.IsLower(label[1]) ? char.ToLowerInvariant(label[0]) + label[1..] : label;
}
