using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.IntegrationTests.Persistence;

#pragma warning disable EF9100 // A query's executor is built with EF Core's own (experimental) services, as EF Core builds it.

/// <summary>
/// Decision 0067: a query's shaper and command resolver are compiled once with the query, not created again on every
/// execution. Checked on the app's own model and database (the provider under test), and on expression trees.
/// </summary>
public sealed class QueryDelegatesOnceTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task The_app_s_contexts_compile_a_query_s_closed_lambdas_once()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        Assert.IsType<ClosedLambdaConstantProcessor>(db.GetService<ILiftableConstantProcessor>());
    }

    [Fact]
    public async Task A_query_s_executor_holds_its_shaper_and_resolver_as_delegates_and_still_reads_the_rows()
    {
        var id = await (await app.ClientForAsync(DemoUsers.Pm)).CreateProjectAsync("Delegates made once");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // A tracked read of a project with a filter on its key, as EF Core's query compiler hands it to the database.
        var ours = AssertTheExecutorHoldsItsDelegates(db, db.Projects.Where(p => p.Id == id).Expression);

        var rows = ours.Compile()(db.GetService<IQueryContextFactory>().Create()).ToList();
        Assert.Equal(id, Assert.Single(rows).Id);
        Assert.Equal("Delegates made once", rows[0].Name);
    }

    [Fact]
    public async Task EF_Core_compiles_the_app_s_queries_through_the_processor()
    {
        var id = await (await app.ClientForAsync(DemoUsers.Pm)).CreateProjectAsync("Compiled through the processor");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var names = EF.CompileQuery((AppDbContext c, Guid project) => c.Projects.AsNoTracking().Where(p => p.Id == project).Select(p => p.Name));

        Assert.Equal(["Compiled through the processor"], names(db, id).ToList());

        // The executor EF Core compiled on that first run (CompiledQueryBase's private field: an EF Core upgrade that
        // renames it fails here). Its closure holds the shaper and the resolver as delegates; a nested lambda would be
        // held as the method it creates its delegate from on every run.
        var compiled = names.Target!;
        var field = compiled.GetType().BaseType!.GetField("_executor", BindingFlags.NonPublic | BindingFlags.Instance)!;
        var executorAndModel = field.GetValue(compiled)!;
        var executor = (Delegate)executorAndModel.GetType().GetProperty("Executor")!.GetValue(executorAndModel)!;
        // System.Linq.Expressions' Closure (not in the reference assemblies): its public field Constants.
        var closure = executor.Target!;
        Assert.Equal("System.Runtime.CompilerServices.Closure", closure.GetType().FullName);
        var constants = (object[])closure.GetType().GetField("Constants")!.GetValue(closure)!;
        Assert.True(constants.OfType<Delegate>().Count() >= 2);
        Assert.DoesNotContain(constants, c => c is MethodInfo);
    }

    [Fact]
    public void A_closed_lambda_becomes_its_delegate_and_one_that_uses_an_outer_parameter_stays()
    {
        // x => Invoke(y => Invoke(z => z * 10, y) + x, 2): z => z * 10 uses only its own parameter; y => … uses x.
        var x = Expression.Parameter(typeof(int), "x");
        var y = Expression.Parameter(typeof(int), "y");
        var z = Expression.Parameter(typeof(int), "z");
        var times10 = Expression.Lambda<Func<int, int>>(Expression.Multiply(z, Expression.Constant(10)), z);
        var plusX = Expression.Lambda<Func<int, int>>(Expression.Add(Expression.Invoke(times10, y), x), y);
        var outer = Expression.Lambda<Func<int, int>>(Expression.Invoke(plusX, Expression.Constant(2)), x);

        var rewritten = (Expression<Func<int, int>>)ClosedLambdas.CompileNested(outer);

        var (lambdas, delegates) = Nested(rewritten);
        Assert.Equal(1, lambdas);
        Assert.Equal(1, delegates);
        var kept = (LambdaExpression)((InvocationExpression)rewritten.Body).Expression;
        Assert.Same(y, Assert.Single(kept.Parameters));
        Assert.Equal(outer.Compile()(5), rewritten.Compile()(5));
        Assert.Equal(25, rewritten.Compile()(5));
    }

    [Fact]
    public void A_lambda_that_declares_its_variables_is_closed_and_a_quoted_lambda_stays_a_tree()
    {
        // () => Invoke(() => { int v; v = 7; return v; }) and () => Quote(() => 1), each inside an outer lambda.
        var v = Expression.Variable(typeof(int), "v");
        var block = Expression.Lambda<Func<int>>(Expression.Block([v], Expression.Assign(v, Expression.Constant(7)), v));
        var withBlock = Expression.Lambda<Func<int>>(Expression.Invoke(block));
        var quoted = Expression.Lambda<Func<Expression<Func<int>>>>(Expression.Quote(Expression.Lambda<Func<int>>(Expression.Constant(1))));

        var blockRewritten = (Expression<Func<int>>)ClosedLambdas.CompileNested(withBlock);
        var quoteRewritten = ClosedLambdas.CompileNested(quoted);

        Assert.Equal((0, 1), Nested(blockRewritten));
        Assert.Equal(7, blockRewritten.Compile()());
        Assert.Same(quoted, quoteRewritten);
    }

    /// <summary>
    /// Builds the executor of <paramref name="query"/> (a query of projects) with EF Core's own services on
    /// <paramref name="db"/>'s provider, without running it, and asserts that EF Core's processor leaves its shaper and
    /// command resolver as nested lambdas and the app's holds them as delegates. Returns the app's executor.
    /// </summary>
    internal static Expression<Func<QueryContext, IEnumerable<Project>>> AssertTheExecutorHoldsItsDelegates(AppDbContext db, Expression query)
    {
        ArgumentNullException.ThrowIfNull(db);
        Assert.IsType<ClosedLambdaConstantProcessor>(db.GetService<ILiftableConstantProcessor>());
        var compilation = db.GetService<IQueryCompilationContextFactory>().Create(async: false);
        var executor = compilation.CreateQueryExecutorExpression<IEnumerable<Project>>(Funcletized(query));

        var efCore = new RelationalLiftableConstantProcessor(
                db.GetService<ShapedQueryCompilingExpressionVisitorDependencies>(),
                db.GetService<RelationalShapedQueryCompilingExpressionVisitorDependencies>(),
                db.GetService<RelationalCommandBuilderDependencies>())
            .InlineConstants(executor, compilation.SupportsPrecompiledQuery);
        Assert.True(Nested((LambdaExpression)efCore).Lambdas >= 2);

        var ours = (Expression<Func<QueryContext, IEnumerable<Project>>>)db.GetService<ILiftableConstantProcessor>()
            .InlineConstants(executor, compilation.SupportsPrecompiledQuery);
        var (lambdas, delegates) = Nested(ours);
        Assert.Equal(0, lambdas);
        Assert.True(delegates >= 2);
        return ours;
    }

    /// <summary>The lambdas nested in a lambda and the delegates it holds as constants.</summary>
    private static (int Lambdas, int Delegates) Nested(LambdaExpression lambda)
    {
        var counter = new Counter();
        counter.Visit(lambda.Body);
        return (counter.Lambdas, counter.Delegates);
    }

    /// <summary>The query with its closure's values as constants, as EF Core's query compiler extracts them.</summary>
    private static Expression Funcletized(Expression query) => new ClosureValues().Visit(query);

    private sealed class Counter : ExpressionVisitor
    {
        public int Lambdas { get; private set; }

        public int Delegates { get; private set; }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            Lambdas++;
            return base.VisitLambda(node);
        }

        protected override Expression VisitConstant(ConstantExpression node)
        {
            if (node.Value is Delegate)
                Delegates++;
            return node;
        }
    }

    private sealed class ClosureValues : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node) =>
            node.Expression is ConstantExpression closure && node.Member is System.Reflection.FieldInfo field
                ? Expression.Constant(field.GetValue(closure.Value), node.Type)
                : base.VisitMember(node);
    }
}
