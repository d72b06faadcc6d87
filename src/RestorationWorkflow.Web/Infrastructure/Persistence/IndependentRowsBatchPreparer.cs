using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Update;
using Microsoft.EntityFrameworkCore.Update.Internal;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

#pragma warning disable EF1001 // CommandBatchPreparer is EF Core's own service; we extend its sort with a shortcut, not replace it.

public static class IndependentRowsBatching
{
    /// <summary>SaveChanges skips EF Core's dependency sort when no row it writes can depend on another (<see cref="IndependentRowsBatchPreparer"/>).</summary>
    public static DbContextOptionsBuilder SortOnlyDependentRows(this DbContextOptionsBuilder options) =>
        options.ReplaceService<ICommandBatchPreparer, IndependentRowsBatchPreparer>();
}

/// <summary>
/// EF Core's batch preparer, with one shortcut (decision 0062). Before it writes, EF Core orders the rows of a
/// SaveChanges by their dependencies: a new principal before its dependents, a deleted dependent before its principal,
/// a deleted unique value before the row that takes it. To find them it walks every foreign key of every row's type,
/// for every row, every time; for a workflow transition (the project's row updated, an audit event and a due item
/// written) that walk was a sixth of the group commit's time and an eighth of what a transition allocated, and it found
/// nothing. When no two rows can depend on each other, the order is the one EF Core's sort gives rows without
/// dependencies: its own comparer's. That comparer orders a table's rows deleted, then updated, then inserted, which is
/// the order EF Core's sort keeps between rows of one table: a deleted row before an inserted one, and a row that gives
/// up a unique value (deleted, or updated) before the one that takes it. Rows can depend on each other otherwise only when
/// <list type="bullet">
/// <item>two rows of the same table are both updated (one may take the unique value the other gives up), or</item>
/// <item>two rows' tables are joined by a foreign key (as a constraint, or in the model only; a table that refers to
/// itself included) and the principal's row is not an update that leaves the key the foreign key points to as it is
/// (an insert, a delete, or a changed key).</item>
/// </list>
/// In those cases, and for a row without a table, EF Core's own sort runs. A plan submission deletes one due item and
/// inserts another, and a decision does the same: they take the shortcut, the deleted row first.
/// </summary>
[SuppressMessage("Performance", "CA1812", Justification = "Created by EF Core's service provider (ReplaceService).")]
internal sealed class IndependentRowsBatchPreparer(CommandBatchPreparerDependencies dependencies) : CommandBatchPreparer(dependencies)
{
    /// <summary>For each pair of tables (principal, dependent), the principal's columns a foreign key points to; absent when none does.</summary>
    private static readonly ConditionalWeakTable<ITable, ConcurrentDictionary<ITable, HashSet<string>?>> Links = [];

    public override IReadOnlyList<List<IReadOnlyModificationCommand>> TopologicalSort(IEnumerable<IReadOnlyModificationCommand> commands)
    {
        var rows = commands as IReadOnlyList<IReadOnlyModificationCommand> ?? [.. commands];
        if (!Independent(rows))
            return base.TopologicalSort(rows);
        // What EF Core's sort returns for rows without an edge: one set, in the order of its comparer.
        var sorted = new List<IReadOnlyModificationCommand>(rows);
        sorted.Sort(Dependencies.ModificationCommandComparer);
        return [sorted];
    }

    /// <summary>True when no row of <paramref name="rows"/> can have to be written before another (see the class).</summary>
    public static bool Independent(IReadOnlyList<IReadOnlyModificationCommand> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Table is null || row.StoreStoredProcedure is not null)
                return false;
            for (var j = 0; j < i; j++)
            {
                var other = rows[j];
                if ((ReferenceEquals(row.Table, other.Table) && row.EntityState == EntityState.Modified && other.EntityState == EntityState.Modified)
                    || !LeavesPointedKey(other, row) || !LeavesPointedKey(row, other))
                    return false;
            }
        }
        return true;
    }

    /// <summary>
    /// True when <paramref name="dependent"/> cannot depend on <paramref name="principal"/>: no foreign key joins their
    /// tables that way, or the principal's row is an update that writes none of the columns such a key points to.
    /// </summary>
    private static bool LeavesPointedKey(IReadOnlyModificationCommand principal, IReadOnlyModificationCommand dependent)
    {
        var pointed = Links.GetValue(principal.Table!, static _ => new ConcurrentDictionary<ITable, HashSet<string>?>())
            .GetOrAdd(dependent.Table!, static (table, principalTable) => PointedColumns(principalTable, table), principal.Table!);
        if (pointed is null)
            return true;
        if (principal.EntityState != EntityState.Modified)
            return false;
        foreach (var column in principal.ColumnModifications)
        {
            if (column.IsWrite && pointed.Contains(column.ColumnName))
                return false;
        }
        return true;
    }

    /// <summary>The columns of <paramref name="principal"/> that a foreign key of <paramref name="dependent"/> points to, or null.</summary>
    private static HashSet<string>? PointedColumns(ITable principal, ITable dependent)
    {
        HashSet<string>? columns = null;
        foreach (var constraint in dependent.ForeignKeyConstraints)
        {
            if (ReferenceEquals(constraint.PrincipalTable, principal))
            {
                columns ??= new HashSet<string>(StringComparer.Ordinal);
                foreach (var column in constraint.PrincipalColumns)
                    columns.Add(column.Name);
            }
        }
        // Foreign keys of the model that are no constraint (EF Core's sort follows those too).
        var principalTable = StoreObjectIdentifier.Table(principal.Name, principal.Schema);
        foreach (var mapping in dependent.EntityTypeMappings)
        {
            foreach (var foreignKey in mapping.TypeBase.ContainingEntityType.GetForeignKeys())
            {
                if (!foreignKey.PrincipalEntityType.GetTableMappings().Any(m => ReferenceEquals(m.Table, principal)))
                    continue;
                columns ??= new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in foreignKey.PrincipalKey.Properties)
                {
                    // A key property that has no column in the principal's table: treat every column as pointed to.
                    if (property.GetColumnName(principalTable) is not { } name)
                        return [.. principal.Columns.Select(c => c.Name)];
                    columns.Add(name);
                }
            }
        }
        return columns;
    }
}
