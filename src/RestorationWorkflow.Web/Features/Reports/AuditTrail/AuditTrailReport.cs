using System.Globalization;
using RestorationWorkflow.Web.Reporting;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reports.AuditTrail;

/// <summary>
/// The audit-trail report: every event of a project, oldest first (when, who, what, state before → after, each changed
/// value, its hash), the chain's head and the result of verifying it, in English or Chinese. Pure: the same input gives
/// the same pages, so a job can call it with what <see cref="AuditTrailReportSource"/> loaded.
/// </summary>
public sealed class AuditTrailReport(ReportFont? font = null)
{
    /// <summary>The PDF's bytes.</summary>
    public byte[] Render(AuditTrailReportInput input)
    {
        using var buffer = new MemoryStream();
        Render(input, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes the PDF to <paramref name="output"/>.</summary>
    public void Render(AuditTrailReportInput input, Stream output) => RenderCounting(input, output);

    /// <summary>Writes the PDF to <paramref name="output"/> and answers its number of pages.</summary>
    public int RenderCounting(AuditTrailReportInput input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var culture = input.Language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? new CultureInfo("zh-Hans") : new CultureInfo("en");
        string T(LocalizedText text) => text.For(culture);
        var subject = string.IsNullOrEmpty(input.Project.Code) ? input.Project.Name : $"{input.Project.Code} · {input.Project.Name}";
        var info = new ReportInfo
        {
            Title = $"{T(Words.Title)} — {subject}",
            Subject = subject,
            Kind = T(Words.Title),
            Author = input.RequestedBy,
            GeneratedAt = input.GeneratedAt,
            DataSha256 = ReportInfo.HashOf(input),
            Language = culture.Name,
        };
        using var document = new ReportDocument(info, font);
        document.Title(T(Words.Title))
            .Paragraph(T(Words.Intro), TextStyle.Caption)
            .KeyValues(
            [
                new(T(Words.Project), subject),
                new(T(Words.State), input.Project.State),
                new(T(Words.Workflow), input.Project.Workflow),
                new(T(Words.Events), input.Events.Count.ToString(culture)),
                new(T(Words.RequestedBy), input.RequestedBy),
            ]);

        var chain = input.Chain;
        var verdict = chain.Valid
            ? T(Words.Valid)
            : chain.BrokenSequence is { } sequence
                ? string.Format(culture, T(Words.BrokenAt), sequence, chain.Reason)
                : string.Format(culture, T(Words.Broken), chain.Reason);
        document.Heading(T(Words.Chain))
            .KeyValues(
            [
                new(T(Words.Head), chain.HeadSequence == 0 ? T(Words.NoHead) : $"#{chain.HeadSequence.ToString(culture)}"),
                new(T(Words.HeadHash), string.IsNullOrEmpty(chain.HeadHash) ? "—" : chain.HeadHash),
                new(T(Words.VerifiedAt), Utc(chain.VerifiedAt)),
            ])
            .Paragraph(verdict, TextStyle.Body.WithColor(chain.Valid ? TextStyle.Accent : TextStyle.Danger));

        document.Heading(T(Words.Events));
        if (input.Events.Count == 0)
        {
            document.Paragraph(T(Words.NoEvents));
        }
        else
        {
            var table = new ReportTable(
                new ReportColumn("#", 0.55f, ColumnAlign.Right),
                new ReportColumn(T(Words.When), 1.1f),
                new ReportColumn(T(Words.Who), 1.15f),
                new ReportColumn(T(Words.Action), 1.55f),
                new ReportColumn(T(Words.StateChange), 1.35f),
                new ReportColumn(T(Words.Changes), 3.75f));
            foreach (var e in input.Events)
                table.AddRow(e.Sequence.ToString(culture), Utc(e.At), e.Actor, e.Action, States(e), Details(e, culture));
            document.Table(table);
        }
        document.WriteTo(output);
        return document.PageCount;
    }

    private static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string States(AuditTrailEntry e) => (e.FromState, e.ToState) switch
    {
        (null, null) => "",
        (null, { } to) => to,
        ({ } from, null) => from,
        ({ } from, { } to) when from == to => to,
        ({ } from, { } to) => $"{from} → {to}",
    };

    private static string Details(AuditTrailEntry e, CultureInfo culture)
    {
        var lines = e.Changes.Select(c => $"{c.Field}: {c.Old ?? "—"} → {c.New ?? "—"}").ToList();
        if (!string.IsNullOrWhiteSpace(e.Comment))
            lines.Add(string.Format(culture, Words.CommentLine.For(culture), e.Comment));
        // The first 64 bits identify the event; the full chain is verified above and by the API.
        lines.Add($"SHA-256 {(e.Hash.Length > 16 ? e.Hash[..16] : e.Hash)}");
        return string.Join('\n', lines);
    }

    private static class Words
    {
        public static readonly LocalizedText Title = new("Audit trail", "审计记录");
        public static readonly LocalizedText Intro = new(
            "Every event recorded for the project, oldest first. Each event carries the SHA-256 of its content and of the event before it; the head is the newest event's hash. Times are UTC.",
            "项目记录的全部事件，按时间先后排列。每个事件都带有其内容及前一事件的 SHA-256；链头是最新事件的哈希。时间均为 UTC。");
        public static readonly LocalizedText Project = new("Project", "项目");
        public static readonly LocalizedText State = new("Current state", "当前状态");
        public static readonly LocalizedText Workflow = new("Workflow", "工作流");
        public static readonly LocalizedText Events = new("Events", "事件");
        public static readonly LocalizedText RequestedBy = new("Requested by", "申请人");
        public static readonly LocalizedText Chain = new("Hash chain", "哈希链");
        public static readonly LocalizedText Head = new("Head", "链头");
        public static readonly LocalizedText NoHead = new("none (no events)", "无（没有事件）");
        public static readonly LocalizedText HeadHash = new("Head hash (SHA-256)", "链头哈希（SHA-256）");
        public static readonly LocalizedText VerifiedAt = new("Verified at (UTC)", "验证时间（UTC）");
        public static readonly LocalizedText Valid = new(
            "Verified: every link of the chain, the head's seal and the replay of the events against the stored project agree.",
            "验证通过：链的每个环节、链头签章以及按事件重放与已存项目的比对均一致。");
        public static readonly LocalizedText BrokenAt = new("Verification failed at event #{0}: {1}", "验证失败，出错事件 #{0}：{1}");
        public static readonly LocalizedText Broken = new("Verification failed: {0}", "验证失败：{0}");
        public static readonly LocalizedText NoEvents = new("No events are recorded for this project.", "此项目没有记录任何事件。");
        public static readonly LocalizedText When = new("When (UTC)", "时间（UTC）");
        public static readonly LocalizedText Who = new("Who", "操作人");
        public static readonly LocalizedText Action = new("Action", "行动");
        public static readonly LocalizedText StateChange = new("State", "状态");
        public static readonly LocalizedText Changes = new("Changed values", "更改的值");
        // The font's curly quotes are full width, right for Chinese and too wide in English.
        public static readonly LocalizedText CommentLine = new("Comment: \"{0}\"", "意见：“{0}”");
    }
}
