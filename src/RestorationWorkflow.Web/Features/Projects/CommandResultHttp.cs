using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>Maps a <see cref="CommandResult{T}"/> to an HTTP result: the value, or a ProblemDetails.</summary>
public static class CommandResultHttp
{
    public static IResult ToHttp<T>(this CommandResult<T> result, Func<T, IResult> onSuccess)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(onSuccess);
        var culture = CultureInfo.CurrentUICulture;
        return result.Status switch
        {
            CommandStatus.Ok => onSuccess(result.Value!),
            CommandStatus.Invalid => TypedResults.ValidationProblem(result.Errors, detail: result.Detail, title: "The request is not valid."),
            CommandStatus.NotFound => TypedResults.Problem(statusCode: 404, title: "Not found.", detail: result.Detail),
            CommandStatus.Forbidden => TypedResults.Problem(new ProblemDetails
            {
                Status = 403,
                Title = "Forbidden.",
                Detail = result.Detail,
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
                Extensions = { ["reasons"] = result.Reasons.Select(r => new { guard = r.Guard, message = r.Message.For(culture) }).ToList() },
            }),
            CommandStatus.Conflict => TypedResults.Problem(new ProblemDetails
            {
                Status = 409,
                Title = "The project was changed by someone else.",
                Detail = result.Detail,
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
                Extensions = { ["currentVersion"] = result.CurrentVersion },
            }),
            CommandStatus.Unprocessable => TypedResults.Problem(new ProblemDetails
            {
                Status = 422,
                Title = "The transition's conditions are not met.",
                Detail = result.Detail,
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.21",
                Extensions = { ["unmet"] = result.Reasons.Select(r => new { guard = r.Guard, message = r.Message.For(culture) }).ToList() },
            }),
            _ => throw new InvalidOperationException($"Unknown status {result.Status}."),
        };
    }
}
