using RestorationWorkflow.Identity;
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
/// A <see cref="GuardKind.Condition"/> guard is evaluated by the <see cref="WorkflowEngine"/> (422); a
/// <see cref="GuardKind.Authorization"/> guard by the transition's authorization handler (403).
/// </summary>
public interface IGuard
{
    /// <summary>The <c>type</c> used in workflow definitions.</summary>
    string Type { get; }

    GuardKind Kind { get; }

    /// <summary>Checks the guard's parameters when a definition is loaded; one message per problem.</summary>
    IEnumerable<GuardParameterProblem> ValidateParameters(GuardDefinition guard);

    /// <summary>The kinds of data the guard reads, loaded before it runs by their <see cref="IGuardDataProvider"/>.</summary>
    IReadOnlyCollection<GuardDataKey> Needs => [];

    /// <summary>Evaluates the guard against loaded data: null when met, otherwise the reason in both languages.</summary>
    LocalizedText? Evaluate(GuardContext context, GuardDefinition guard);
}

/// <summary>A problem with one parameter; <see cref="Parameter"/> is appended to the guard's JSON path.</summary>
public sealed record GuardParameterProblem(string? Parameter, string Message);

/// <summary>
/// What a guard may look at: the project row with its members, the data its <see cref="IGuard.Needs"/> named,
/// who asks and their comment.
/// </summary>
public sealed record GuardContext(Project Project, WorkflowDefinition Definition, TransitionDefinition Transition, Caller Caller, string? Comment, GuardData Data);
