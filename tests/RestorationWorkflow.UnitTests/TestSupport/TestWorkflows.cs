using System.Text.Json.Nodes;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.UnitTests.TestSupport;

/// <summary>The shipped definitions (copied to the output under <c>workflows/</c>) and helpers to break them.</summary>
internal static class TestWorkflows
{
    public const string StaperId = "staper-restoration";
    public const string BadFile = "bad.json";

    private static readonly Lazy<WorkflowDefinitionLoader> LazyLoader =
        new(() => WorkflowDefinitionLoader.ForFolder(Folder, GuardRegistry.Default));

    private static readonly Lazy<WorkflowCatalog> LazyCatalog = new(() => Loader.LoadFolder(Folder));

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "workflows");

    public static string StaperFile => Path.Combine(Folder, "staper-restoration.v1.json");

    public static string SchemaFile => Path.Combine(Folder, "schema", "workflow-definition.schema.json");

    public static WorkflowDefinitionLoader Loader => LazyLoader.Value;

    public static WorkflowCatalog Catalog => LazyCatalog.Value;

    public static WorkflowDefinition Staper => Catalog.Get(StaperId, 1);

    public static string StaperV2File => Path.Combine(Folder, "staper-restoration.v2.json");

    public static WorkflowDefinition StaperV2 => Catalog.Get(StaperId, 2);

    public static string StaperV3File => Path.Combine(Folder, "staper-restoration.v3.json");

    /// <summary>The approval gates in the definition (decision 0026): the latest version, new projects start on it.</summary>
    public static WorkflowDefinition StaperV3 => Catalog.Get(StaperId, 3);

    /// <summary>A fresh, mutable copy of the STAPER v3 definition.</summary>
    public static JsonObject StaperV3Json() => JsonNode.Parse(File.ReadAllText(StaperV3File))!.AsObject();

    /// <summary>A fresh, mutable copy of the STAPER v2 definition.</summary>
    public static JsonObject StaperV2Json() => JsonNode.Parse(File.ReadAllText(StaperV2File))!.AsObject();

    /// <summary>A fresh, mutable copy of the STAPER definition.</summary>
    public static JsonObject StaperJson() => JsonNode.Parse(File.ReadAllText(StaperFile))!.AsObject();

    public static JsonArray Array(this JsonObject json, string name) => json[name]!.AsArray();

    /// <summary>The index of the transition with <paramref name="trigger"/> in <c>$.transitions</c>.</summary>
    public static int TransitionIndex(JsonObject json, string trigger)
    {
        var transitions = json.Array("transitions");
        for (var i = 0; i < transitions.Count; i++)
        {
            if ((string?)transitions[i]!["trigger"] == trigger)
                return i;
        }
        throw new ArgumentException($"No transition {trigger}.", nameof(trigger));
    }

    public static JsonObject Transition(JsonObject json, string trigger) => json.Array("transitions")[TransitionIndex(json, trigger)]!.AsObject();

    public static int StateIndex(JsonObject json, string code)
    {
        var states = json.Array("states");
        for (var i = 0; i < states.Count; i++)
        {
            if ((string?)states[i]!["code"] == code)
                return i;
        }
        throw new ArgumentException($"No state {code}.", nameof(code));
    }

    public static JsonObject Label(string text) => new() { ["en"] = text, ["zh-Hans"] = text };

    public static JsonObject NewTransition(string from, string trigger, string to) => new()
    {
        ["from"] = from,
        ["trigger"] = trigger,
        ["to"] = to,
        ["roles"] = new JsonArray("ProjectManager"),
        ["label"] = Label(trigger),
    };

    public static JsonObject NewState(string code, string kind = "active") => new()
    {
        ["code"] = code,
        ["group"] = "none",
        ["kind"] = kind,
        ["label"] = Label(code),
    };

    /// <summary>Every problem the loader reports for <paramref name="json"/> as <see cref="BadFile"/>.</summary>
    public static IReadOnlyList<WorkflowDefinitionProblem> Problems(JsonNode json, WorkflowDefinitionLoader? loader = null)
    {
        var validation = (loader ?? Loader).Validate(json.ToJsonString(), BadFile);
        Assert.False(validation.IsValid, "The definition was expected to be invalid.");
        Assert.Null(validation.Definition);
        return validation.Problems;
    }

    /// <summary>Asserts one problem names <see cref="BadFile"/>, exactly <paramref name="jsonPath"/> and contains <paramref name="phrase"/>.</summary>
    public static WorkflowDefinitionProblem AssertProblem(IReadOnlyList<WorkflowDefinitionProblem> problems, string jsonPath, string phrase)
    {
        var match = problems.FirstOrDefault(p => p.File == BadFile && p.JsonPath == jsonPath
            && p.Message.Contains(phrase, StringComparison.OrdinalIgnoreCase));
        Assert.True(match is not null,
            $"Expected a problem at {jsonPath} containing \"{phrase}\"; got:\n{string.Join('\n', problems)}");
        Assert.Equal($"{BadFile}: {jsonPath}: {match.Message}", match.ToString());
        return match;
    }
}
