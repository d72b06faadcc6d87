using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Commands;

/// <summary>How a command ended. Each refusal has one HTTP status and one way to be shown on a page.</summary>
public enum CommandStatus
{
    /// <summary>Done (200/201).</summary>
    Ok,

    /// <summary>The input is wrong; <see cref="CommandResult{T}.Errors"/> names each field (400).</summary>
    Invalid,

    /// <summary>What the command addresses does not exist (404).</summary>
    NotFound,

    /// <summary>The caller may not do this; <see cref="CommandResult{T}.Reasons"/> says which rule (403).</summary>
    Forbidden,

    /// <summary>The caller changed an older version, or lost a race for the commit (409).</summary>
    Conflict,

    /// <summary>Well-formed, allowed, but the data's state does not permit it; every unmet condition is listed (422).</summary>
    Unprocessable,
}

/// <summary>
/// Stable codes for refusals that a caller (or a page) decides on, so that no rule depends on message text.
/// </summary>
public static class CommandErrorCodes
{
    public const string ProjectNotFound = "project-not-found";
    public const string ChecklistItemNotFound = "checklist-item-not-found";
    public const string StepFormNotFound = "step-form-not-found";
    public const string UserNotFound = "user-not-found";
    public const string WorkflowNotFound = "workflow-not-found";
    public const string StaleVersion = "stale-version";
    public const string ConcurrentChange = "concurrent-change";
    public const string Validation = "validation";
    public const string Forbidden = "forbidden";
    public const string ConditionsUnmet = "conditions-unmet";
}

/// <summary>
/// The one outcome type of every command (projects, user accounts, workflow migrations), independent of HTTP:
/// the API maps it once to status codes and ProblemDetails, the pages once to errors next to their fields.
/// </summary>
/// <typeparam name="T">What a successful command returns.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
    Justification = "CommandResult<Project>.Conflict(...) reads best at the call site; there is one T per command.")]
public sealed record CommandResult<T>
{
    public CommandStatus Status { get; private init; }

    public T? Value { get; private init; }

    /// <summary>A stable code from <see cref="CommandErrorCodes"/> for a refusal; null on success.</summary>
    public string? Code { get; private init; }

    public string? Detail { get; private init; }

    /// <summary>For <see cref="CommandStatus.Invalid"/>: messages keyed by the request's field names (camelCase, with [index]).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private init; } = new Dictionary<string, string[]>();

    /// <summary>For <see cref="CommandStatus.Forbidden"/> and <see cref="CommandStatus.Unprocessable"/>: each rule or condition, in both languages.</summary>
    public IReadOnlyList<UnmetGuard> Reasons { get; private init; } = [];

    /// <summary>For <see cref="CommandStatus.Conflict"/>: the version the client should reload.</summary>
    public int? CurrentVersion { get; private init; }

    public bool Succeeded => Status == CommandStatus.Ok;

    public static CommandResult<T> Ok(T value) => new() { Status = CommandStatus.Ok, Value = value };

    public static CommandResult<T> Invalid(string field, string message) =>
        new() { Status = CommandStatus.Invalid, Code = CommandErrorCodes.Validation, Errors = new Dictionary<string, string[]> { [field] = [message] }, Detail = message };

    public static CommandResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new() { Status = CommandStatus.Invalid, Code = CommandErrorCodes.Validation, Errors = errors };

    public static CommandResult<T> NotFound(string code, string detail) => new() { Status = CommandStatus.NotFound, Code = code, Detail = detail };

    public static CommandResult<T> Forbidden(string detail, IReadOnlyList<UnmetGuard>? reasons = null) =>
        new() { Status = CommandStatus.Forbidden, Code = CommandErrorCodes.Forbidden, Detail = detail, Reasons = reasons ?? [] };

    public static CommandResult<T> Conflict(string code, string detail, int currentVersion) =>
        new() { Status = CommandStatus.Conflict, Code = code, Detail = detail, CurrentVersion = currentVersion };

    /// <summary>A conflict with the state of something that has no version (e.g. revoking what is already revoked).</summary>
    public static CommandResult<T> Conflict(string code, string detail) =>
        new() { Status = CommandStatus.Conflict, Code = code, Detail = detail };

    public static CommandResult<T> Unprocessable(string detail, IReadOnlyList<UnmetGuard>? reasons = null) =>
        new() { Status = CommandStatus.Unprocessable, Code = CommandErrorCodes.ConditionsUnmet, Detail = detail, Reasons = reasons ?? [] };

    /// <summary>The same refusal for a command that returns another type.</summary>
    public CommandResult<TOther> Refusal<TOther>()
    {
        if (Succeeded)
            throw new InvalidOperationException("A successful result is not a refusal.");
        return new CommandResult<TOther>
        {
            Status = Status, Code = Code, Detail = Detail, Errors = Errors, Reasons = Reasons, CurrentVersion = CurrentVersion,
        };
    }
}
