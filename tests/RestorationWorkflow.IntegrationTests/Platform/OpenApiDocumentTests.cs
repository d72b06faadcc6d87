using System.Net;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Platform;

/// <summary>
/// <c>/openapi/v1.json</c> read back with Microsoft.OpenApi (the reader ASP.NET Core writes it with) and held to what a
/// standard validator (Redocly CLI's recommended rules) asks: no reader or validator finding, and every operation with
/// an operationId, a summary, a 2xx response, ProblemDetails errors and the bearer scheme unless it is anonymous.
/// </summary>
public sealed class OpenApiDocumentTests(AppFactory factory) : IClassFixture<AppFactory>
{
    /// <summary>
    /// The operations that take no token: how a client gets one, and the personal calendar feed (calendar clients cannot
    /// sign in; the secret in its address is the key, decision 0030).
    /// </summary>
    private static readonly HashSet<string> Anonymous = ["POST /api/auth/login", "POST /api/auth/refresh", "GET /api/calendar/{token}.ics"];

    [Fact]
    public async Task Document_ParsesAndValidates_WithoutErrorsOrWarnings()
    {
        var (document, diagnostic) = await LoadAsync();

        Assert.Empty(diagnostic.Errors.Select(e => e.ToString()));
        Assert.Empty(diagnostic.Warnings.Select(e => e.ToString()));
        var validator = new OpenApiValidator(ValidationRuleSet.GetDefaultRuleSet());
        new OpenApiWalker(validator).Walk(document);
        Assert.Empty(validator.Errors.Select(e => e.ToString()));
        Assert.Empty(validator.Warnings.Select(e => e.ToString()));
    }

    [Fact]
    public async Task Servers_HaveNoTrailingSlash()
    {
        var (document, _) = await LoadAsync();

        var servers = document.Servers ?? [];
        Assert.NotEmpty(servers);
        Assert.All(servers, s => Assert.False(s.Url!.EndsWith('/'), $"The server URL '{s.Url}' ends with a slash."));
    }

    [Fact]
    public async Task EveryOperation_HasAUniqueOperationId_ASummary_AndA2xxResponse()
    {
        var (document, _) = await LoadAsync();

        var operations = Operations(document);
        Assert.NotEmpty(operations);
        Assert.All(operations, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.OperationId), $"{o.Name} has no operationId.");
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.Summary), $"{o.Name} has no summary.");
            Assert.True(o.Operation.Responses?.Keys.Any(code => code.StartsWith('2')) == true, $"{o.Name} declares no 2xx response.");
        });
        var duplicates = operations.GroupBy(o => o.Operation.OperationId).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public async Task EveryOperation_RequiresTheBearerScheme_UnlessItIsHowATokenIsObtained()
    {
        var (document, _) = await LoadAsync();

        var scheme = Assert.Contains(SchemeName, document.Components?.SecuritySchemes ?? new Dictionary<string, IOpenApiSecurityScheme>());
        Assert.Equal(SecuritySchemeType.Http, scheme.Type);
        Assert.Equal("bearer", scheme.Scheme);
        Assert.Contains("/api/auth/login", scheme.Description, StringComparison.Ordinal);
        var operations = Operations(document);
        Assert.Superset(Anonymous, operations.Select(o => o.Name).ToHashSet());
        Assert.All(operations, o =>
        {
            var schemes = (o.Operation.Security ?? []).SelectMany(r => r.Keys.Select(k => k.Reference.Id)).ToList();
            if (Anonymous.Contains(o.Name))
                Assert.True(schemes.Count == 0, $"{o.Name} is anonymous but declares {string.Join(", ", schemes)}.");
            else
                Assert.True(schemes.SequenceEqual([SchemeName]), $"{o.Name} requires authorization but declares [{string.Join(", ", schemes)}].");
        });
    }

    [Fact]
    public async Task ErrorResponses_AreProblemDetails_AndCoverTokenBodyAndPath()
    {
        var (document, _) = await LoadAsync();

        Assert.All(Operations(document), o =>
        {
            var responses = o.Operation.Responses!;
            foreach (var (code, response) in responses.Where(r => r.Key.StartsWith('4')))
                Assert.True(response.Content?.ContainsKey(Http.ProblemJson) == true, $"{o.Name} {code} is not described as {Http.ProblemJson}.");
            if (!Anonymous.Contains(o.Name))
                Assert.True(responses.ContainsKey("401"), $"{o.Name} requires a token but declares no 401.");
            if (o.Operation.RequestBody is not null)
                Assert.True(responses.ContainsKey("400"), $"{o.Name} takes a body but declares no 400.");
            if (o.Operation.Parameters?.Any(p => p.In == ParameterLocation.Path) == true)
                Assert.True(responses.ContainsKey("404"), $"{o.Name} has a path parameter but declares no 404.");
        });
    }

    [Fact]
    public async Task EveryTagUsed_IsDeclaredWithADescription()
    {
        var (document, _) = await LoadAsync();

        var declared = (document.Tags ?? new HashSet<OpenApiTag>()).ToDictionary(t => t.Name!, t => t.Description, StringComparer.Ordinal);
        var used = Operations(document).SelectMany(o => o.Operation.Tags ?? new HashSet<OpenApiTagReference>()).Select(t => t.Reference.Id!).Distinct().ToList();
        Assert.NotEmpty(used);
        Assert.All(used, tag =>
        {
            Assert.True(declared.TryGetValue(tag, out var description), $"The tag '{tag}' is used but not declared.");
            Assert.False(string.IsNullOrWhiteSpace(description), $"The tag '{tag}' has no description.");
        });
    }

    private const string SchemeName = "Bearer";

    private sealed record NamedOperation(string Name, OpenApiOperation Operation);

    private static List<NamedOperation> Operations(OpenApiDocument document) =>
    [
        .. document.Paths.SelectMany(path => (path.Value.Operations ?? []).Select(op => new NamedOperation($"{op.Key.Method} {path.Key}", op.Value))),
    ];

    private async Task<(OpenApiDocument Document, OpenApiDiagnostic Diagnostic)> LoadAsync()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var result = await OpenApiDocument.LoadAsync(stream, "json");
        Assert.NotNull(result.Document);
        Assert.NotNull(result.Diagnostic);
        return (result.Document, result.Diagnostic);
    }
}
