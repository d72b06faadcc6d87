namespace RestorationWorkflow.Web.Reporting;

public enum ColumnAlign
{
    Left,
    Right,
    Center,
}

/// <summary>A table column: its header, its share of the width (weights are relative) and its alignment.</summary>
public sealed record ReportColumn(string Header, float Weight = 1, ColumnAlign Align = ColumnAlign.Left);

/// <summary>
/// A table for <see cref="ReportDocument.Table"/>: rows of text cells that wrap within their column. A table longer
/// than a page continues on the next with its header row repeated; a row taller than what is left of a page moves to
/// the next, and one taller than a whole page is split between its lines.
/// </summary>
public sealed class ReportTable
{
    private readonly List<string[]> _rows = [];

    public ReportTable(params ReportColumn[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0)
            throw new ArgumentException("A table needs at least one column.", nameof(columns));
        if (columns.Any(c => c.Weight <= 0))
            throw new ArgumentException("Column weights must be positive.", nameof(columns));
        Columns = columns;
    }

    public IReadOnlyList<ReportColumn> Columns { get; }

    public IReadOnlyList<string[]> Rows => _rows;

    /// <summary>Adds a row of one cell per column (<c>null</c> is an empty cell).</summary>
    public ReportTable AddRow(params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != Columns.Count)
            throw new ArgumentException($"A row needs {Columns.Count} cells, not {cells.Length}.", nameof(cells));
        _rows.Add([.. cells.Select(c => c ?? "")]);
        return this;
    }
}
