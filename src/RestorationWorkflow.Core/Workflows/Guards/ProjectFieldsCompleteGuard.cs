using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Workflows.Guards;

/// <summary>
/// <c>{"type": "projectFieldsComplete", "fields": ["description", "country", …]}</c>: the named registry
/// fields of the project are filled in.
/// </summary>
public sealed class ProjectFieldsCompleteGuard : IGuard
{
    private static readonly Dictionary<string, (LocalizedText Label, Func<Project, bool> IsFilled)> Fields = new(StringComparer.Ordinal)
    {
        ["name"] = (new("name", "名称"), p => !string.IsNullOrWhiteSpace(p.Name)),
        ["description"] = (new("description", "说明"), p => !string.IsNullOrWhiteSpace(p.Description)),
        ["country"] = (new("country", "国家"), p => !string.IsNullOrWhiteSpace(p.Country)),
        ["ecosystemTypes"] = (new("ecosystem types", "生态系统类型"), p => p.EcosystemTypes.Count > 0),
        ["areaHectares"] = (new("area (hectares)", "面积（公顷）"), p => p.AreaHectares > 0),
        // The registry fields of issue 15, for definitions that ask for them (v1 does not).
        ["code"] = (new("code", "项目代码"), p => !string.IsNullOrWhiteSpace(p.Code)),
        ["region"] = (new("sub-national region", "国家以下地区"), p => !string.IsNullOrWhiteSpace(p.Region)),
        ["scale"] = (new("scale", "规模"), p => p.Scale is not null),
        ["situation"] = (new("situation", "情况"), p => p.Situation is not null),
        ["startDate"] = (new("start date", "开始日期"), p => p.StartDate is not null),
        ["lifespanYears"] = (new("planned lifespan", "计划期限"), p => p.LifespanYears is not null),
        ["budget"] = (new("budget and currency", "预算和币种"), p => p.Budget is not null && p.Currency is not null),
        ["leadOrganisation"] = (new("lead organisation", "牵头组织"), p => !string.IsNullOrWhiteSpace(p.LeadOrganisation)),
    };

    public static IReadOnlyCollection<string> KnownFields => Fields.Keys;

    public string Type => "projectFieldsComplete";

    public GuardKind Kind => GuardKind.Condition;

    public IEnumerable<GuardParameterProblem> ValidateParameters(GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        var fields = guard.GetStrings("fields");
        if (fields.Count == 0)
            yield return new GuardParameterProblem("fields", "projectFieldsComplete needs a non-empty list of field names in 'fields'.");
        for (var i = 0; i < fields.Count; i++)
        {
            if (!Fields.ContainsKey(fields[i]))
                yield return new GuardParameterProblem($"fields[{i}]", $"'{fields[i]}' is not a project field; known: {string.Join(", ", Fields.Keys)}.");
        }
    }

    public LocalizedText? Evaluate(GuardContext context, GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(guard);
        var missing = guard.GetStrings("fields")
            .Where(f => Fields.TryGetValue(f, out var field) && !field.IsFilled(context.Project))
            .Select(f => Fields[f].Label)
            .ToList();
        if (missing.Count == 0)
            return null;
        return new LocalizedText(
            $"Fill in the project's {string.Join(", ", missing.Select(m => m.En))}.",
            $"请填写项目的{string.Join("、", missing.Select(m => m.ZhHans))}。");
    }
}
