using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary>A row of an import file that can be recorded: its line and the measurement.</summary>
public sealed record CsvGoodRow(int Line, RestorationTarget Target, MeasurementDetails Details);

/// <summary>One problem of a row: the column and why, in both languages.</summary>
public sealed record CsvRowError(string Field, LocalizedText Message);

/// <summary>A row of an import file that cannot be recorded: its line (1 is the header) and every problem.</summary>
public sealed record CsvBadRow(int Line, IReadOnlyList<CsvRowError> Errors);

/// <summary>An import file read and checked: the good rows, the bad ones, or a problem with the file itself.</summary>
public sealed record CsvCheck(IReadOnlyList<CsvGoodRow> Rows, IReadOnlyList<CsvBadRow> BadRows, LocalizedText? FileProblem);

/// <summary>
/// Reads a measurement import file with CsvHelper (RFC 4180, comma-separated, UTF-8, a header row) and checks each row
/// with the rules of a single measurement. Columns: <c>target</c> (the target's id, or its indicator code — or a custom
/// indicator's name — when exactly one target of the project has it), <c>date</c> (YYYY-MM-DD), <c>value</c> (a number
/// with a point, no thousands separators), <c>unit</c>, <c>method</c>, <c>measuredBy</c>, and optionally <c>notes</c>;
/// header names ignore case, and an unknown column is refused so that a misspelt one is not silently dropped.
/// </summary>
public static class MeasurementCsv
{
    public static readonly IReadOnlyList<string> Required = ["target", "date", "value", "unit", "method", "measuredBy"];

    public static readonly IReadOnlyList<string> Columns = [.. Required, "notes"];

    /// <summary>The file's text as UTF-8 (a byte order mark is skipped), or null when it is not valid UTF-8.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            bytes = bytes[3..];
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    public static string Sha256(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(csv)));
    }

    public static CsvCheck Check(string csv, IReadOnlyList<RestorationTarget> targets, DateOnly today, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(targets);
        var good = new List<CsvGoodRow>();
        var bad = new List<CsvBadRow>();
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            Mode = CsvMode.Rfc4180,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            IncludeValuesInExceptions = false,
        };
        using var reader = CsvReader.FromText(csv, options);
        try
        {
            reader.ReadHeader();
            var header = reader.Headers.ToArray();
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                return File(new("The file is empty: it needs a header row (" + string.Join(",", Columns) + ") and at least one measurement.",
                    "文件为空：需要标题行（" + string.Join(",", Columns) + "）和至少一条测量结果。"));
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                var name = Columns.FirstOrDefault(c => c.Equals(header[i].Trim(), StringComparison.OrdinalIgnoreCase));
                if (name is null)
                    return File(new($"Column {i + 1} of the header, '{Cut(header[i])}', is not a column of the import; the columns are {string.Join(", ", Columns)}.",
                        $"标题第 {i + 1} 列“{Cut(header[i])}”不是导入文件的列；可用的列：{string.Join("、", Columns)}。"));
                if (!index.TryAdd(name, i))
                    return File(new($"The header names the column {name} twice.", $"标题中列 {name} 出现了两次。"));
            }
            var missing = Required.Where(c => !index.ContainsKey(c)).ToList();
            if (missing.Count > 0)
                return File(new($"The header lacks the column(s) {string.Join(", ", missing)}; the first row must name the columns {string.Join(",", Columns)}.",
                    $"标题缺少列 {string.Join("、", missing)}；第一行必须为列名 {string.Join(",", Columns)}。"));

            while (reader.Read())
            {
                var line = (int)reader.LineNumber;
                if (good.Count + bad.Count >= maxRows)
                    return File(new($"The file has more than {maxRows} measurements; split it into files of at most {maxRows} rows.",
                        $"文件的测量结果超过 {maxRows} 条；请拆分为每个不超过 {maxRows} 行的文件。"));
                var row = CheckRow(reader, index, header.Length, targets, today);
                if (row.Errors.Count > 0)
                    bad.Add(new CsvBadRow(line, row.Errors));
                else
                    good.Add(new CsvGoodRow(line, row.Target!, row.Details!));
            }
        }
        catch (CsvFormatException ex)
        {
            var line = ex.LineNumber;
            return File(new($"The file is not valid CSV at line {line}: a quoted field is not closed or a quote is misplaced.",
                $"文件第 {line} 行不是有效的 CSV：引号字段未闭合或引号位置不当。"));
        }
        if (good.Count + bad.Count == 0)
            return File(new("The file has a header but no measurement.", "文件只有标题行，没有测量结果。"));
        return new CsvCheck(good, bad, null);
    }

    private static CsvCheck File(LocalizedText problem) => new([], [], problem);

    private static (RestorationTarget? Target, MeasurementDetails? Details, IReadOnlyList<CsvRowError> Errors) CheckRow(
        CsvReader csv, Dictionary<string, int> index, int columns, IReadOnlyList<RestorationTarget> targets, DateOnly today)
    {
        var errors = new List<CsvRowError>();
        if (csv.FieldCount != columns)
        {
            errors.Add(new("row", new($"The row has {csv.FieldCount} field(s); the header has {columns}.", $"该行有 {csv.FieldCount} 个字段；标题有 {columns} 个。")));
            return (null, null, errors);
        }
        string? Field(string name) => index.TryGetValue(name, out var i) ? csv.GetString(i) : null;

        var target = ResolveTarget(Field("target"), targets, out var targetProblem);
        if (targetProblem is not null)
            errors.Add(new("target", targetProblem));

        var dateText = Field("date");
        DateOnly? date = null;
        LocalizedText? dateProblem = null;
        if (!string.IsNullOrEmpty(dateText))
        {
            if (DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                date = parsed;
            else
                dateProblem = new($"'{Cut(dateText)}' is not a date written YYYY-MM-DD.", $"“{Cut(dateText)}”不是 YYYY-MM-DD 格式的日期。");
        }
        var valueText = Field("value");
        decimal? value = null;
        LocalizedText? valueProblem = null;
        if (!string.IsNullOrEmpty(valueText))
        {
            if (decimal.TryParse(valueText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
                value = parsed;
            else
                valueProblem = new($"'{Cut(valueText)}' is not a number written with a decimal point and no thousands separators (such as 1234.5).",
                    $"“{Cut(valueText)}”不是以小数点书写、无千位分隔符的数字（例如 1234.5）。");
        }
        var notes = Field("notes");
        var input = new MeasurementInput(date, value, Field("unit"), Field("method"), Field("measuredBy"), null, string.IsNullOrEmpty(notes) ? null : notes);
        var problems = MeasurementValidation.Check(input, target?.Unit ?? input.Unit?.Trim() ?? "", today);
        foreach (var (field, message) in problems)
        {
            var column = field == "measuredOn" ? "date" : field;
            var replaced = column switch
            {
                "date" => dateProblem,
                "value" => valueProblem,
                _ => null,
            };
            errors.Add(new(column, replaced ?? message));
        }
        return errors.Count > 0 || target is null ? (null, null, errors) : (target, MeasurementRules.Normalize(target.Id, input), errors);
    }

    private static RestorationTarget? ResolveTarget(string? text, IReadOnlyList<RestorationTarget> targets, out LocalizedText? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = new("The target is required: the target's id, or its indicator code.", "目标为必填项：目标的 ID 或其指标代码。");
            return null;
        }
        if (Guid.TryParse(text, out var id))
        {
            var byId = targets.FirstOrDefault(t => t.Id == id);
            if (byId is null)
                problem = new($"The project has no target with the id {id}.", $"本项目没有 ID 为 {id} 的目标。");
            return byId;
        }
        var matches = targets.Where(t => t.Indicator.Equals(text, StringComparison.OrdinalIgnoreCase)
            || (t.CustomIndicator is { } custom && custom.Equals(text, StringComparison.OrdinalIgnoreCase))).ToList();
        if (matches.Count == 1)
            return matches[0];
        problem = matches.Count == 0
            ? new($"No target of the project has the indicator '{Cut(text)}'; give the target's id or its indicator code.",
                $"本项目没有指标为“{Cut(text)}”的目标；请填写目标的 ID 或其指标代码。")
            : new($"{matches.Count} targets of the project have the indicator '{Cut(text)}'; give the target's id instead.",
                $"本项目有 {matches.Count} 个目标的指标为“{Cut(text)}”；请改填目标的 ID。");
        return null;
    }

    private static string Cut(string text) => Infrastructure.TextRules.Quote(text);
}
