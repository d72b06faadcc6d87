using System.Globalization;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>The words of reminders, in English and Chinese: notification titles, e-mail subjects and bodies.</summary>
public static class ReminderTexts
{
    /// <summary>The stage of the weekly digest of long-overdue items (notifications and sent-reminder rows).</summary>
    public const string WeeklyDigestStage = "weeklyDigest";

    /// <summary>The stage of the daily digest e-mail (never stored: it gathers notifications of other stages).</summary>
    public const string DailyDigestStage = "dailyDigest";

    /// <summary>"Due in 14 days" / "14 天后到期", "Due today", "Overdue", "Overdue by 7 days — escalated".</summary>
    public static LocalizedText Stage(string stage, ReminderThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (stage.StartsWith("before", StringComparison.Ordinal)
            && int.TryParse(stage.AsSpan(6), NumberStyles.Integer, CultureInfo.InvariantCulture, out var days))
        {
            var n = days.ToString(CultureInfo.InvariantCulture);
            return new LocalizedText(days == 1 ? "Due tomorrow" : $"Due in {n} days", days == 1 ? "明天到期" : $"{n} 天后到期");
        }
        var escalation = thresholds.EscalationDays.ToString(CultureInfo.InvariantCulture);
        return stage switch
        {
            ReminderStages.Due => new LocalizedText("Due today", "今天到期"),
            ReminderStages.Overdue => new LocalizedText("Overdue", "已逾期"),
            ReminderStages.Escalation => new LocalizedText($"Overdue by {escalation} days or more — escalated", $"已逾期 {escalation} 天以上（已升级提醒）"),
            WeeklyDigestStage => new LocalizedText("Weekly digest", "每周摘要"),
            _ => new LocalizedText(stage, stage),
        };
    }

    /// <summary>The notification's title: "Due in 3 days: Monitoring review of … — Project (CODE)".</summary>
    public static LocalizedText Title(string stage, ReminderThresholds thresholds, LocalizedText item, string projectName, string projectCode)
    {
        ArgumentNullException.ThrowIfNull(item);
        var label = Stage(stage, thresholds);
        var project = string.IsNullOrEmpty(projectCode) ? projectName : $"{projectName} ({projectCode})";
        var projectZh = string.IsNullOrEmpty(projectCode) ? projectName : $"{projectName}（{projectCode}）";
        return new LocalizedText($"{label.En}: {item.En} — {project}", $"{label.ZhHans}：{item.ZhHans} — {projectZh}");
    }

    /// <summary>The weekly digest's title: "Weekly digest: 12 items overdue by 30 days or more".</summary>
    public static LocalizedText WeeklyDigestTitle(int count, int overdueDays)
    {
        var n = count.ToString(CultureInfo.InvariantCulture);
        var d = overdueDays.ToString(CultureInfo.InvariantCulture);
        return new LocalizedText(
            count == 1 ? $"Weekly digest: 1 item overdue by {d} days or more" : $"Weekly digest: {n} items overdue by {d} days or more",
            $"每周摘要：{n} 项已逾期 {d} 天以上");
    }

    /// <summary>The daily digest's subject: "Your reminders today: 4".</summary>
    public static LocalizedText DailyDigestSubject(int count)
    {
        var n = count.ToString(CultureInfo.InvariantCulture);
        return new LocalizedText($"Your reminders of the day: {n}", $"今日提醒：{n} 项");
    }

    public static LocalizedText Greeting(string name) => new($"Hello {name},", $"{name}，您好：");

    public static readonly LocalizedText DueOnLabel = new("Due on", "到期日");

    public static readonly LocalizedText ProjectLabel = new("Project", "项目");

    public static readonly LocalizedText OpenLink = new("Open", "打开");

    public static readonly LocalizedText DailyDigestIntro = new(
        "These reminders reached you since the last digest:",
        "自上次摘要以来，您收到了以下提醒：");

    public static LocalizedText WeeklyDigestIntro(int overdueDays)
    {
        var d = overdueDays.ToString(CultureInfo.InvariantCulture);
        return new LocalizedText(
            $"These items of projects you oversee are overdue by {d} days or more:",
            $"您所监督项目中的以下事项已逾期 {d} 天以上：");
    }

    public static LocalizedText AndMore(int more)
    {
        var n = more.ToString(CultureInfo.InvariantCulture);
        return new LocalizedText($"… and {n} more.", $"……另有 {n} 项。");
    }

    public static readonly LocalizedText Footer = new(
        "You receive this e-mail because you are reminded of this work in RestorationWorkflow. Your account page lets you turn reminder e-mail off or receive one digest a day.",
        "您收到此邮件，是因为 RestorationWorkflow 提醒您处理此项工作。您可以在账户页面关闭提醒邮件，或改为每天接收一封摘要。");

    /// <summary>The text in <paramref name="language"/> (<c>zh-Hans</c>, else English).</summary>
    public static string In(this LocalizedText text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsChinese(language) ? text.ZhHans : text.En;
    }

    public static bool IsChinese(string? language) =>
        language is not null && (language.Equals("zh-Hans", StringComparison.OrdinalIgnoreCase) || language.StartsWith("zh", StringComparison.OrdinalIgnoreCase));
}
