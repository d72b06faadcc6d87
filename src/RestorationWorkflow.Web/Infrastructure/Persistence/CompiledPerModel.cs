using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

/// <summary>
/// One instance of a class of compiled queries (<c>EF.CompileAsyncQuery</c>) per EF Core model. A compiled query
/// runs only on the model it was compiled against, and a test process hosts apps on several providers (SQLite and
/// PostgreSQL, decision 0041), so each model gets its own set, compiled once and kept while the model lives.
/// </summary>
public static class CompiledPerModel
{
    public static T For<T>(IModel model)
        where T : class, new() => Sets<T>.Table.GetValue(model, static _ => new T());

    private static class Sets<T>
        where T : class
    {
        public static readonly ConditionalWeakTable<IModel, T> Table = [];
    }
}
