using System.Collections.Concurrent;
using System.Linq.Expressions;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

/// <summary>
/// <c>x => x.P == "a" || x.P == "b" …</c> for a set of texts known to the code or a workflow definition, built once per
/// set and kept. A list's <c>Contains</c> in a query is a collection parameter: EF Core writes that query's SQL again,
/// under a lock all requests share, on every execution (decision 0055). The values here become constants, so the SQL
/// is cached like any other query's. Not for values a user sends: each distinct set is kept for the life of the app.
/// </summary>
public static class OneOf
{
    private static readonly ConcurrentDictionary<(Type Entity, string Property, string Values), LambdaExpression> Built = new();

    /// <summary>Rows whose text <paramref name="property"/> is one of <paramref name="values"/>; no row for no value.</summary>
    public static Expression<Func<T, bool>> Texts<T>(string property, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(property);
        ArgumentNullException.ThrowIfNull(values);
        var set = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return (Expression<Func<T, bool>>)Built.GetOrAdd((typeof(T), property, string.Join('\u001f', set)), static (_, a) =>
        {
            var row = Expression.Parameter(typeof(T), "x");
            var member = Expression.Property(row, a.property);
            var body = a.set.Select(v => (Expression)Expression.Equal(member, Expression.Constant(v, member.Type)))
                .DefaultIfEmpty(Expression.Constant(false))
                .Aggregate(Expression.OrElse);
            return Expression.Lambda<Func<T, bool>>(body, row);
        }, (property, set));
    }
}
