using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace RestorationWorkflow.Web.Infrastructure;

public static class ModelStateExtensions
{
    /// <summary>
    /// Shows a service's field errors (<c>name</c>, <c>ecosystemTypes[1]</c>) next to the page's inputs
    /// (<c>Name</c>, <c>EcosystemTypes</c>).
    /// </summary>
    public static void AddFieldErrors(this ModelStateDictionary modelState, IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var (field, messages) in errors)
        {
            var bracket = field.IndexOf('[', StringComparison.Ordinal);
            var name = bracket > 0 ? field[..bracket] : field;
            var key = name.Length == 0 ? "" : char.ToUpperInvariant(name[0]) + name[1..];
            foreach (var message in messages)
                modelState.AddModelError(key, message);
        }
    }
}
