namespace RestorationWorkflow.Workflows;

/// <summary>
/// One problem in one workflow definition file: the file, the JSON path of the offending value
/// (<c>$.transitions[3].to</c>) and what is wrong.
/// </summary>
public sealed record WorkflowDefinitionProblem(string File, string JsonPath, string Message)
{
    public override string ToString() => $"{File}: {JsonPath}: {Message}";
}

/// <summary>
/// Thrown when workflow definitions cannot be loaded. <see cref="Problems"/> holds every problem of every
/// file; <see cref="Exception.Message"/> lists them one per line after a heading line.
/// </summary>
public sealed class WorkflowDefinitionException : Exception
{
    public WorkflowDefinitionException()
        : this("Workflow definitions are invalid.")
    {
    }

    public WorkflowDefinitionException(string message)
        : base(message)
    {
        Problems = [];
    }

    public WorkflowDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    /// <summary>Creates the exception: <paramref name="heading"/> (such as "Workflow definitions in … are invalid:") then one problem per line.</summary>
    public WorkflowDefinitionException(string heading, IReadOnlyList<WorkflowDefinitionProblem> problems)
        : base(FormatMessage(heading, problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<WorkflowDefinitionProblem> Problems { get; }

    private static string FormatMessage(string heading, IReadOnlyList<WorkflowDefinitionProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return string.Join('\n', problems.Select(p => p.ToString()).Prepend(heading));
    }
}
