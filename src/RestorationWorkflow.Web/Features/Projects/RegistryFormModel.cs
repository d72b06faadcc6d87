using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>The registry fields of the create and edit pages (<c>_RegistryFields.cshtml</c>), bound by name.</summary>
public abstract class RegistryFormModel : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? Country { get; set; }

    [BindProperty]
    public string? Region { get; set; }

    [BindProperty]
    public string? Scale { get; set; }

    [BindProperty]
    public List<string> EcosystemTypes { get; set; } = [];

    [BindProperty]
    public bool NaturallyLowTreeCover { get; set; }

    [BindProperty]
    public string? Situation { get; set; }

    [BindProperty]
    public DateOnly? StartDate { get; set; }

    [BindProperty]
    public int? LifespanYears { get; set; }

    [BindProperty]
    public decimal? Budget { get; set; }

    [BindProperty]
    public string? Currency { get; set; }

    [BindProperty]
    public string? LeadOrganisation { get; set; }

    [BindProperty]
    public decimal? AreaHectares { get; set; }

    /// <summary>Whether the code field is required (edit) or may be left empty to be generated (create).</summary>
    public abstract bool CodeRequired { get; }

    /// <summary>A value the browser could not send as a number or date: the binder's message is already next to its field.</summary>
    protected bool HasBindingErrors() =>
        new[] { nameof(StartDate), nameof(LifespanYears), nameof(Budget), nameof(AreaHectares) }
            .Any(f => ModelState.TryGetValue(f, out var entry) && entry.Errors.Count > 0);

    protected CreateProjectRequest Fields() => new(
        Name, Description, Country, EcosystemTypes, AreaHectares, Code, Region, Blank(Scale), NaturallyLowTreeCover, Blank(Situation),
        StartDate, LifespanYears, Budget, Blank(Currency), LeadOrganisation);

    /// <summary>Shows a code another project has (a 422 naming <c>code</c>) next to the code field.</summary>
    protected void ShowCodeRefusal(CommandResult<Project> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var reasons = result.Reasons.Where(r => r.Guard == RegistryValidation.CodeRule).ToList();
        if (reasons.Count == 0)
            return;
        // Next to the field instead of above the form.
        ModelState.Remove("");
        foreach (var reason in reasons)
            ModelState.AddModelError(nameof(Code), reason.Message.For(System.Globalization.CultureInfo.CurrentUICulture));
    }

    protected void Fill(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        Name = project.Name;
        Code = project.Code;
        Description = project.Description;
        Country = project.Country;
        Region = project.Region;
        Scale = project.Scale;
        EcosystemTypes = [.. project.EcosystemTypes];
        NaturallyLowTreeCover = project.NaturallyLowTreeCover;
        Situation = project.Situation;
        StartDate = project.StartDate;
        LifespanYears = project.LifespanYears;
        Budget = project.Budget;
        Currency = project.Currency;
        LeadOrganisation = project.LeadOrganisation;
        AreaHectares = project.AreaHectares;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
