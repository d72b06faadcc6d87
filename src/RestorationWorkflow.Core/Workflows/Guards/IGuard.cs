using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Workflows.Guards;

/// <summary>Whether an unmet guard means "you may not" (403) or "not yet" (422).</summary>
public enum GuardKind
{
    /// <summary>A condition on the project's data: unmet gives 422 with the reason.</summary>
    Condition,

    /// <summary>A condition on who the caller is: unmet gives 403.</summary>
    Authorization,
}

/// <summary>
/// A named predicate a transition can require. Adding a guard type is a new class implementing this
/// interface plus one entry in <see cref="GuardRegistry.Default"/>; definitions then name it by <see cref="Type"/>.
/// </summary>
public interface IGuard
{
    /// <summary>The <c>type</c> used in workflow definitions.</summary>
    string Type { get; }

    GuardKind Kind { get; }

    /// <summary>Checks the guard's parameters when a definition is loaded; one message per problem.</summary>
    IEnumerable<GuardParameterProblem> ValidateParameters(GuardDefinition guard);

    /// <summary>Evaluates the guard against loaded data: null when met, otherwise the reason in both languages.</summary>
    LocalizedText? Evaluate(GuardContext context, GuardDefinition guard);
}

/// <summary>A problem with one parameter; <see cref="Parameter"/> is appended to the guard's JSON path.</summary>
public sealed record GuardParameterProblem(string? Parameter, string Message);

/// <summary>Who is asking: the signed-in user and their roles.</summary>
public sealed record Caller(string UserId, string DisplayName, IReadOnlySet<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);
}

/// <summary>What a guard may look at: the project with its checklist and members loaded, and the request.</summary>
public sealed record GuardContext(Project Project, WorkflowDefinition Definition, TransitionDefinition Transition, Caller Caller, string? Comment);
