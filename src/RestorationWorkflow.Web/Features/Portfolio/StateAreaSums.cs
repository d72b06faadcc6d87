using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Web.Features.Portfolio;

/// <summary>
/// The sums of the projects of one state (and workflow version) over the columns each project keeps per ecosystem type
/// (<see cref="SiteAreas"/>, decision 0045): hectares, sites, and projects with at least one site of the type. One SQL
/// query, one pass over the project rows: the select is built from <see cref="EcosystemTypes.All"/>, each type in a
/// slot of its index (three aggregates per type), as EF Core translates only members it can see.
/// </summary>
internal sealed class StateAreaSums
{
    /// <summary>How many ecosystem types a row can hold; <see cref="EcosystemTypes.All"/> must not have more.</summary>
    public const int Slots = 12;

    public string State { get; set; } = "";

    public string WorkflowId { get; set; } = "";

    public int WorkflowVersion { get; set; }

    /// <summary>The group's country, when the group's key has one (a scope's groups, decision 0053); otherwise null.</summary>
    public string? Country { get; set; }

    /// <summary>The projects of the group.</summary>
    public int Count { get; set; }

    public double H0 { get; set; }
    public double H1 { get; set; }
    public double H2 { get; set; }
    public double H3 { get; set; }
    public double H4 { get; set; }
    public double H5 { get; set; }
    public double H6 { get; set; }
    public double H7 { get; set; }
    public double H8 { get; set; }
    public double H9 { get; set; }
    public double H10 { get; set; }
    public double H11 { get; set; }
    public int S0 { get; set; }
    public int S1 { get; set; }
    public int S2 { get; set; }
    public int S3 { get; set; }
    public int S4 { get; set; }
    public int S5 { get; set; }
    public int S6 { get; set; }
    public int S7 { get; set; }
    public int S8 { get; set; }
    public int S9 { get; set; }
    public int S10 { get; set; }
    public int S11 { get; set; }
    public int P0 { get; set; }
    public int P1 { get; set; }
    public int P2 { get; set; }
    public int P3 { get; set; }
    public int P4 { get; set; }
    public int P5 { get; set; }
    public int P6 { get; set; }
    public int P7 { get; set; }
    public int P8 { get; set; }
    public int P9 { get; set; }
    public int P10 { get; set; }
    public int P11 { get; set; }

    /// <summary>Hectares of the sites of the ecosystem type at <paramref name="index"/> in <see cref="EcosystemTypes.All"/>.</summary>
    public double Hectares(int index) => (double)Slot("H", index)!;

    /// <summary>Sites of the ecosystem type at <paramref name="index"/>.</summary>
    public int Sites(int index) => (int)Slot("S", index)!;

    /// <summary>Projects with at least one site of the ecosystem type at <paramref name="index"/>.</summary>
    public int Projects(int index) => (int)Slot("P", index)!;

    private object? Slot(string kind, int index) => Property(kind, index).GetValue(this);

    private static PropertyInfo Property(string kind, int index) =>
        typeof(StateAreaSums).GetProperty(kind + index.ToString(System.Globalization.CultureInfo.InvariantCulture))
        ?? throw new ArgumentOutOfRangeException(nameof(index), index, $"A row has {Slots} slots.");

    /// <summary>
    /// The sums and the count of each group of projects; the group's key must have <c>State</c>, <c>WorkflowId</c> and
    /// <c>WorkflowVersion</c>, and may have <c>Country</c> (an anonymous type of the caller's).
    /// </summary>
    public static IQueryable<StateAreaSums> Of<TKey>(IQueryable<IGrouping<TKey, Project>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return groups.Select(SelectorCache<TKey>.Selector);
    }

    private static class SelectorCache<TKey>
    {
        public static readonly Expression<Func<IGrouping<TKey, Project>, StateAreaSums>> Selector = Build();

        private static Expression<Func<IGrouping<TKey, Project>, StateAreaSums>> Build()
        {
            if (EcosystemTypes.All.Count > Slots)
                throw new InvalidOperationException($"{EcosystemTypes.All.Count} ecosystem types; {nameof(StateAreaSums)} holds {Slots}.");
            var group = Expression.Parameter(typeof(IGrouping<TKey, Project>), "g");
            var key = Expression.Property(group, nameof(IGrouping<TKey, Project>.Key));
            var bindings = new List<MemberBinding>
            {
                Bind(nameof(State), Expression.Property(key, nameof(State))),
                Bind(nameof(WorkflowId), Expression.Property(key, nameof(WorkflowId))),
                Bind(nameof(WorkflowVersion), Expression.Property(key, nameof(WorkflowVersion))),
                Bind(nameof(Count), Expression.Call(typeof(Enumerable), nameof(Enumerable.Count), [typeof(Project)], group)),
            };
            if (typeof(TKey).GetProperty(nameof(Country)) is not null)
                bindings.Add(Bind(nameof(Country), Expression.Property(key, nameof(Country))));
            for (var i = 0; i < EcosystemTypes.All.Count; i++)
            {
                var code = EcosystemTypes.All[i].Code;
                bindings.Add(Bind(Property("H", i).Name, Aggregate(group, nameof(Enumerable.Sum), Column<double>(SiteAreas.HectaresColumn(code)))));
                bindings.Add(Bind(Property("S", i).Name, Aggregate(group, nameof(Enumerable.Sum), Column<int>(SiteAreas.CountColumn(code)))));
                var project = Expression.Parameter(typeof(Project), "p");
                var hasSites = Expression.Lambda<Func<Project, bool>>(
                    Expression.GreaterThan(ColumnOf<int>(project, SiteAreas.CountColumn(code)), Expression.Constant(0)), project);
                bindings.Add(Bind(Property("P", i).Name, Aggregate(group, nameof(Enumerable.Count), hasSites)));
            }
            return Expression.Lambda<Func<IGrouping<TKey, Project>, StateAreaSums>>(
                Expression.MemberInit(Expression.New(typeof(StateAreaSums)), bindings), group);
        }

        private static MemberAssignment Bind(string property, Expression value) =>
            Expression.Bind(typeof(StateAreaSums).GetProperty(property)!, value);

        private static MethodCallExpression Aggregate(Expression group, string method, LambdaExpression selector) =>
            Expression.Call(typeof(Enumerable), method, [typeof(Project)], group, selector);

        private static Expression<Func<Project, T>> Column<T>(string name)
        {
            var project = Expression.Parameter(typeof(Project), "p");
            return Expression.Lambda<Func<Project, T>>(ColumnOf<T>(project, name), project);
        }

        private static MethodCallExpression ColumnOf<T>(ParameterExpression project, string name) =>
            Expression.Call(typeof(EF), nameof(EF.Property), [typeof(T)], project, Expression.Constant(name));
    }
}
