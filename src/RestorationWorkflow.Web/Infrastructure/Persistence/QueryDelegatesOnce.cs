using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

#pragma warning disable EF9100 // The liftable-constant processor is EF Core's experimental (precompiled-query) API; we extend what it returns.

public static class QueryDelegatesOnce
{
    /// <summary>A query's shaper and command resolver are compiled once with the query, not created again on every execution (<see cref="ClosedLambdaConstantProcessor"/>).</summary>
    public static DbContextOptionsBuilder CreateQueryDelegatesOnce(this DbContextOptionsBuilder options) =>
        options.ReplaceService<ILiftableConstantProcessor, ClosedLambdaConstantProcessor>();
}

/// <summary>
/// EF Core's relational constant processor, followed by one rewrite (decision 0067). EF Core 9 and 10 build a query's
/// executor as one expression tree whose arguments include lambdas: the shaper that turns a row into a result, and the
/// resolver of the SQL command. Compiled, a lambda nested in another is not a delegate made once: the outer method
/// creates it (<c>MethodInfo.CreateDelegate</c> with a new closure) every time it runs, so every execution of every
/// query created two delegates, and a profile of the plan-review cycle put 4.4 % of its samples there. Once EF Core has
/// put its constants in the tree, a nested lambda that uses nothing of the lambdas around it (no parameter or variable
/// declared outside it) gives the same delegate each time; it is compiled once and put in the tree as a constant. A
/// lambda that uses an outer parameter, and a quoted lambda (an expression tree, not a delegate), stay as they are.
/// </summary>
[SuppressMessage("Performance", "CA1812", Justification = "Created by EF Core's service provider (ReplaceService).")]
internal sealed class ClosedLambdaConstantProcessor(
    ShapedQueryCompilingExpressionVisitorDependencies dependencies,
    RelationalShapedQueryCompilingExpressionVisitorDependencies relationalDependencies,
    RelationalCommandBuilderDependencies commandBuilderDependencies)
    : RelationalLiftableConstantProcessor(dependencies, relationalDependencies, commandBuilderDependencies)
{
    public override Expression InlineConstants(Expression expression, bool supportsPrecompiledQuery) =>
        ClosedLambdas.CompileNested(base.InlineConstants(expression, supportsPrecompiledQuery));
}

/// <summary>Replaces the closed lambdas nested in a lambda by their compiled delegates (see <see cref="ClosedLambdaConstantProcessor"/>).</summary>
internal sealed class ClosedLambdas : ExpressionVisitor
{
    /// <summary>
    /// The lambda <paramref name="expression"/> with each nested lambda that declares every parameter and variable it
    /// uses replaced by a constant holding its compiled delegate, innermost first; any other expression as it is.
    /// </summary>
    public static Expression CompileNested(Expression expression)
    {
        if (expression is not LambdaExpression top)
            return expression;
        var body = new ClosedLambdas().Visit(top.Body);
        return body == top.Body ? top : Expression.Lambda(top.Type, body, top.Name, top.TailCall, top.Parameters);
    }

    protected override Expression VisitLambda<T>(Expression<T> node)
    {
        var visited = (LambdaExpression)base.VisitLambda(node);
        return Scope.IsClosed(visited) ? Expression.Constant(visited.Compile(), visited.Type) : visited;
    }

    /// <summary>A quoted lambda is read as an expression tree: it stays one.</summary>
    protected override Expression VisitUnary(UnaryExpression node) =>
        node.NodeType == ExpressionType.Quote ? node : base.VisitUnary(node);

    /// <summary>The parameters and variables an expression declares and those it uses.</summary>
    private sealed class Scope : ExpressionVisitor
    {
        private readonly HashSet<ParameterExpression> _declared = [];
        private readonly HashSet<ParameterExpression> _used = [];

        public static bool IsClosed(LambdaExpression lambda)
        {
            var scope = new Scope();
            scope.Visit(lambda);
            return scope._used.IsSubsetOf(scope._declared);
        }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            _declared.UnionWith(node.Parameters);
            return base.VisitLambda(node);
        }

        protected override Expression VisitBlock(BlockExpression node)
        {
            _declared.UnionWith(node.Variables);
            return base.VisitBlock(node);
        }

        protected override CatchBlock VisitCatchBlock(CatchBlock node)
        {
            if (node.Variable is not null)
                _declared.Add(node.Variable);
            return base.VisitCatchBlock(node);
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _used.Add(node);
            return node;
        }
    }
}
