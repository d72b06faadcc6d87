using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

public enum CommandStatus
{
    Ok,
    Invalid,
    NotFound,
    Forbidden,
    Conflict,
    Unprocessable,
}

/// <summary>
/// The outcome of a command on a project, independent of HTTP: the API maps it to status codes and
/// ProblemDetails (<see cref="CommandResultHttp"/>), the pages to messages.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
    Justification = "CommandResult<Project>.Conflict(...) reads best at the call site; there is one T per command.")]
public sealed record CommandResult<T>
{
    public CommandStatus Status { get; private init; }

    public T? Value { get; private init; }

    public string? Detail { get; private init; }

    public IReadOnlyDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();

    public IReadOnlyList<UnmetGuard> Reasons { get; private init; } = [];

    /// <summary>For <see cref="CommandStatus.Conflict"/>: the version the client should reload.</summary>
    public int? CurrentVersion { get; private init; }

    public bool Succeeded => Status == CommandStatus.Ok;

    public static CommandResult<T> Ok(T value) => new() { Status = CommandStatus.Ok, Value = value };

    public static CommandResult<T> Invalid(string field, string message) =>
        new() { Status = CommandStatus.Invalid, Errors = new Dictionary<string, string[]> { [field] = [message] }, Detail = message };

    public static CommandResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new() { Status = CommandStatus.Invalid, Errors = errors };

    public static CommandResult<T> NotFound(string detail) => new() { Status = CommandStatus.NotFound, Detail = detail };

    public static CommandResult<T> Forbidden(string detail, IReadOnlyList<UnmetGuard>? reasons = null) =>
        new() { Status = CommandStatus.Forbidden, Detail = detail, Reasons = reasons ?? [] };

    public static CommandResult<T> Conflict(string detail, int currentVersion) =>
        new() { Status = CommandStatus.Conflict, Detail = detail, CurrentVersion = currentVersion };

    public static CommandResult<T> Unprocessable(string detail, IReadOnlyList<UnmetGuard>? reasons = null) =>
        new() { Status = CommandStatus.Unprocessable, Detail = detail, Reasons = reasons ?? [] };
}
