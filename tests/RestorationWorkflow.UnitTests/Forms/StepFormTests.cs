using System.Text.Json;
using System.Text.Json.Nodes;
using RestorationWorkflow.Forms;
using RestorationWorkflow.UnitTests.TestSupport;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.UnitTests.Forms;

public class StepFormTests
{
    private static string FormsFolder => Path.Combine(TestWorkflows.Folder, "forms");

    private static readonly Lazy<StepFormCatalog> Shipped = new(() => StepFormLoader.LoadFolder(FormsFolder, TestWorkflows.Catalog));

    private static StepFormDefinition Form(string code) => Shipped.Value.Latest(code)!;

    private static Dictionary<string, string> ShippedFiles() =>
        Directory.EnumerateFiles(FormsFolder, "*.json").ToDictionary(p => Path.GetFileName(p), File.ReadAllText);

    private static StepFormCheck Check(string code, string json)
    {
        using var document = JsonDocument.Parse(json);
        return StepFormValidator.Validate(Form(code), document.RootElement);
    }

    [Fact]
    public void Every_shipped_form_loads_and_the_manifest_names_them_for_staper_v1()
    {
        var codes = Shipped.Value.CodesFor(TestWorkflows.StaperId, 1).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["A1", "A2", "A4", "A5", "A6", "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "C1", "C2", "C3", "C4", "C5"], codes);
        Assert.Null(Shipped.Value.For(TestWorkflows.StaperId, 1, "A3"));
        Assert.Equal("生态系统恢复的潜在成本和多重惠益", Form("A4").Label.ZhHans);
        var drivers = Form("A1").Fields.Single(f => f.Name == "drivers");
        Assert.Equal(FormFieldKind.MultiChoice, drivers.Kind);
        Assert.Equal("外来侵入物种", drivers.OptionLabel("invasiveAlienSpecies")!.ZhHans);
        Assert.Equal("公顷", Form("A1").Fields.Single(f => f.Name == "extentHectares").Unit!.ZhHans);
    }

    [Fact]
    public void Required_fields_missing_make_the_form_incomplete_not_invalid()
    {
        var check = Check("A1", """{"extentHectares": 10, "location": "  "}""");
        Assert.True(check.IsValid);
        Assert.False(check.IsComplete);
        Assert.Contains("values.drivers", check.Missing);
        Assert.Contains("values.location", check.Missing);
        Assert.False(check.Values.ContainsKey("location"));
    }

    [Fact]
    public void Required_fields_inside_rows_are_named_with_their_index()
    {
        var check = Check("A4", """{"estimatedCost": 1, "currency": "USD", "benefits": [{"category": "health", "estimate": 3}]}""");
        Assert.True(check.IsValid);
        Assert.Equal(["values.benefits[0].unit"], check.Missing);
    }

    [Fact]
    public void An_unknown_enumeration_value_is_named_with_its_index_and_rule()
    {
        var check = Check("A1", """{"drivers": ["pollution", "aliens"]}""");
        Assert.Equal(["values.drivers[1]"], check.Errors.Keys);
        Assert.StartsWith("enum:", check.Errors["values.drivers[1]"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_type_is_named_with_its_rule()
    {
        var check = Check("A1", """{"extentHectares": "large"}""");
        Assert.StartsWith("type:", Assert.Single(check.Errors["values.extentHectares"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Minimum_and_maximum_are_checked()
    {
        var low = Check("A1", """{"extentHectares": -1}""");
        Assert.StartsWith("minimum:", Assert.Single(low.Errors["values.extentHectares"]), StringComparison.Ordinal);
        var high = Check("C4", """{"reviewIntervalMonths": 121}""");
        Assert.StartsWith("maximum:", Assert.Single(high.Errors["values.reviewIntervalMonths"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Array_items_are_checked_field_by_field()
    {
        var check = Check("C4", """{"tasks": [{"task": "Dig", "start": "2027-13-45", "end": "2027-01-01", "budgetLine": "x", "owner": "y", "amount": "lots"}]}""");
        Assert.Contains("values.tasks[0].start", check.Errors.Keys);
        Assert.Contains("values.tasks[0].amount", check.Errors.Keys);
        Assert.StartsWith("format:", check.Errors["values.tasks[0].start"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Site_ids_are_checked_as_uuids()
    {
        var check = Check("C5", """{"implemented": [{"what": "x", "start": "2027-01-01", "siteIds": ["not-a-uuid"]}]}""");
        Assert.Contains("values.implemented[0].siteIds[0]", check.Errors.Keys);
    }

    [Fact]
    public void An_unknown_field_is_refused()
    {
        var check = Check("A2", """{"colour": "red"}""");
        Assert.StartsWith("additionalProperties:", Assert.Single(check.Errors["values.colour"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_example_is_complete()
    {
        foreach (var form in Shipped.Value.All)
        {
            var example = form.Document.GetProperty("examples")[0];
            Assert.True(StepFormValidator.Validate(form, example).IsComplete, form.Key);
        }
    }

    [Fact]
    public void A_missing_chinese_label_stops_loading_naming_file_and_path()
    {
        var files = ShippedFiles();
        var a1 = JsonNode.Parse(files["A1.v1.json"])!.AsObject();
        a1["properties"]!["degree"]!["x-enumLabels"]!["severe"]!.AsObject().Remove("zh-Hans");
        files["A1.v1.json"] = a1.ToJsonString();
        var ex = Assert.Throws<WorkflowDefinitionException>(() => StepFormLoader.Load(files, TestWorkflows.Catalog));
        var problem = Assert.Single(ex.Problems);
        Assert.Equal("A1.v1.json", problem.File);
        Assert.Equal("$.properties.degree['x-enumLabels'].severe['zh-Hans']", problem.JsonPath);
        Assert.Contains("A1.v1.json: $.properties.degree['x-enumLabels'].severe['zh-Hans']", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_property_without_a_label_stops_loading()
    {
        var files = ShippedFiles();
        var a2 = JsonNode.Parse(files["A2.v1.json"])!.AsObject();
        a2["properties"]!["justification"]!.AsObject().Remove("x-label");
        files["A2.v1.json"] = a2.ToJsonString();
        var ex = Assert.Throws<WorkflowDefinitionException>(() => StepFormLoader.Load(files, TestWorkflows.Catalog));
        Assert.Equal("$.properties.justification['x-label']", Assert.Single(ex.Problems).JsonPath);
    }

    [Fact]
    public void An_invalid_schema_stops_loading()
    {
        var files = ShippedFiles();
        var a5 = JsonNode.Parse(files["A5.v1.json"])!.AsObject();
        a5["properties"]!["gaps"]!["maxLength"] = "long";
        files["A5.v1.json"] = a5.ToJsonString();
        var ex = Assert.Throws<WorkflowDefinitionException>(() => StepFormLoader.Load(files, TestWorkflows.Catalog));
        Assert.Contains(ex.Problems, p => p.File == "A5.v1.json" && p.JsonPath == "$.properties.gaps.maxLength");
    }

    [Fact]
    public void Unparsable_json_stops_loading()
    {
        var files = ShippedFiles();
        files["B1.v1.json"] = "{\"x-form\": ";
        var ex = Assert.Throws<WorkflowDefinitionException>(() => StepFormLoader.Load(files, TestWorkflows.Catalog));
        Assert.Contains(ex.Problems, p => p.File == "B1.v1.json" && p.Message.Contains("not valid JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_code_stops_loading()
    {
        var files = ShippedFiles();
        var form = JsonNode.Parse(files["B1.v1.json"])!.AsObject();
        form["x-form"]!["code"] = "E1";
        files["B1.v1.json"] = form.ToJsonString();
        var ex = Assert.Throws<WorkflowDefinitionException>(() => StepFormLoader.Load(files, TestWorkflows.Catalog));
        Assert.Contains(ex.Problems, p => p.File == "B1.v1.json" && p.JsonPath == "$['x-form'].code");
    }

    [Fact]
    public void A_manifest_naming_a_missing_form_stops_loading()
    {
        var files = ShippedFiles();
        files.Remove("C5.v1.json");
        var ex = Assert.Throws<WorkflowDefinitionException>(() => StepFormLoader.Load(files, TestWorkflows.Catalog));
        // v1, v2 and v3 all use C5.v1.
        Assert.Equal([("manifest.json", "$.workflows[0].forms.C5"), ("manifest.json", "$.workflows[1].forms.C5"), ("manifest.json", "$.workflows[2].forms.C5")],
            ex.Problems.Select(p => (p.File, p.JsonPath)));
    }
}
