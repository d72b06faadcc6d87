using RestorationWorkflow.Forms;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Evaluations;

/// <summary>
/// The benefit categories an evaluation reports against: those of A4's form (potential costs and multiple benefits),
/// read from its newest version (<c>benefits[].category</c>), so the benefits realised are named as the benefits
/// expected were, with the form's labels in both languages.
/// </summary>
public sealed class BenefitCategories(StepFormCatalog forms)
{
    public const string FormCode = "A4";

    private readonly Lazy<IReadOnlyList<FormOption>> _all = new(() =>
        forms.Latest(FormCode)?.Fields.FirstOrDefault(f => f.Name == "benefits")?.RowFields.FirstOrDefault(f => f.Name == "category")?.Choices ?? []);

    public IReadOnlyList<FormOption> All => _all.Value;

    public bool IsKnown(string? category) => category is not null && All.Any(o => o.Value == category);

    public LocalizedText Label(string category) => All.FirstOrDefault(o => o.Value == category)?.Label ?? new LocalizedText(category, category);
}
