using System.Net;
using System.Text;
using System.Text.Json;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>Assertions on responses: the status (with the body in the failure message) and the JSON body.</summary>
public static class Http
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>Asserts the status and returns the body as JSON (an undefined element when the body is empty).</summary>
    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status,
            $"Expected {(int)status} {status} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} but got {(int)response.StatusCode} {response.StatusCode}: {text}");
        if (string.IsNullOrWhiteSpace(text))
            return default;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts the status, that the body is a ProblemDetails (content type and <c>status</c>), and returns it.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await response.ExpectAsync(status);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.Object, problem.ValueKind);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), "A ProblemDetails has a title.");
        return problem;
    }

    /// <summary>The field names of a validation problem's <c>errors</c>.</summary>
    public static IReadOnlyList<string> ErrorFields(this JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name)];

    /// <summary>The messages of one field of a validation problem's <c>errors</c>.</summary>
    public static IReadOnlyList<string> ErrorsOf(this JsonElement problem, string field) =>
        [.. problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>The <c>guard</c> of each entry of an array such as <c>unmet</c> or <c>reasons</c>.</summary>
    public static IReadOnlyList<string> Guards(this JsonElement problem, string property) =>
        [.. problem.GetProperty(property).EnumerateArray().Select(e => e.GetProperty("guard").GetString()!)];

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static int Number(this JsonElement element, string property) => element.GetProperty(property).GetInt32();

    /// <summary>A body that is not what <c>PostAsJsonAsync</c> would write: raw (possibly broken) JSON.</summary>
    public static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");
}
