using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using RestorationWorkflow.Commands;

namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>The one mapping of a <see cref="CommandResult{T}"/> to HTTP: the value, or a ProblemDetails.</summary>
public static class CommandResultHttp
{
    public static IResult ToHttp<T>(this CommandResult<T> result, Func<T, IResult> onSuccess)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(onSuccess);
        if (result.Succeeded)
            return onSuccess(result.Value!);
        var culture = CultureInfo.CurrentUICulture;
        if (result.Status == CommandStatus.Invalid)
        {
            return TypedResults.ValidationProblem(result.Errors, detail: result.Detail, title: "The request is not valid.",
                extensions: new Dictionary<string, object?> { ["code"] = result.Code });
        }
        var (status, title, type, reasonsKey) = result.Status switch
        {
            CommandStatus.NotFound => (404, "Not found.", "https://tools.ietf.org/html/rfc9110#section-15.5.5", null),
            CommandStatus.Forbidden => (403, "Forbidden.", "https://tools.ietf.org/html/rfc9110#section-15.5.4", "reasons"),
            CommandStatus.Conflict => (409, "The data was changed by someone else.", "https://tools.ietf.org/html/rfc9110#section-15.5.10", null),
            CommandStatus.Unprocessable => (422, "The conditions are not met.", "https://tools.ietf.org/html/rfc9110#section-15.5.21", "unmet"),
            _ => throw new InvalidOperationException($"Unknown status {result.Status}."),
        };
        var problem = new ProblemDetails { Status = status, Title = title, Detail = result.Detail, Type = type };
        problem.Extensions["code"] = result.Code;
        if (reasonsKey is not null)
            problem.Extensions[reasonsKey] = result.Reasons.Select(r => new { guard = r.Guard, message = r.Message.For(culture) }).ToList();
        if (result.CurrentVersion is { } current)
            problem.Extensions["currentVersion"] = current;
        return TypedResults.Problem(problem);
    }
}
