using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;

namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// The one mapping of a refused <see cref="CommandResult{T}"/> to a page: the response status, and each message
/// in <see cref="ModelStateDictionary"/> next to its field (<c>name</c> → <c>Name</c>, <c>ecosystemTypes[1]</c> →
/// <c>EcosystemTypes</c>), or under the empty key when it concerns the whole form.
/// </summary>
public static class CommandResultPages
{
    public static void ShowOn<T>(this CommandResult<T> result, PageModel page, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(localizer);
        if (result.Succeeded)
            return;
        page.Response.StatusCode = result.Status switch
        {
            CommandStatus.NotFound => StatusCodes.Status404NotFound,
            CommandStatus.Conflict => StatusCodes.Status409Conflict,
            CommandStatus.Forbidden => StatusCodes.Status403Forbidden,
            CommandStatus.Unprocessable => StatusCodes.Status422UnprocessableEntity,
            _ => StatusCodes.Status400BadRequest,
        };
        var culture = CultureInfo.CurrentUICulture;
        var modelState = page.ModelState;
        switch (result.Status)
        {
            case CommandStatus.Invalid:
                foreach (var (field, messages) in result.Errors)
                {
                    foreach (var message in messages)
                        modelState.AddModelError(PropertyName(field), message);
                }
                break;
            case CommandStatus.Conflict:
                modelState.AddModelError("", localizer["Someone else changed this project meanwhile. The page now shows the current version; check it and try again."]);
                break;
            case CommandStatus.Forbidden:
                modelState.AddModelError("", localizer["You may not do this."]);
                foreach (var reason in result.Reasons)
                    modelState.AddModelError("", reason.Message.For(culture));
                break;
            case CommandStatus.Unprocessable when result.Reasons.Count > 0:
                foreach (var reason in result.Reasons)
                    modelState.AddModelError("", reason.Message.For(culture));
                break;
            default:
                modelState.AddModelError("", result.Detail ?? localizer["The change was refused."]);
                break;
        }
    }

    /// <summary>Every message of the model state, fields first in the order they were added.</summary>
    public static IReadOnlyList<string> Messages(this ModelStateDictionary modelState)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        return [.. modelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)];
    }

    private static string PropertyName(string field)
    {
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        var name = bracket > 0 ? field[..bracket] : field;
        return name.Length == 0 ? "" : char.ToUpperInvariant(name[0]) + name[1..];
    }
}
