using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// The few calls of <c>/api</c> the benchmark makes, over one pooled <see cref="HttpClient"/> (<see cref="LoadRun.CreateHttpClient"/>).
/// Its own small records for the answers: the benchmark compiles against none of the app's types.
/// </summary>
internal sealed class ApiClient(HttpClient http)
{
    /// <summary>POST /api/auth/login: a bearer token.</summary>
    public async Task<string> LoginAsync(string email, string password)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        await EnsureAsync(response, $"sign-in of {email}");
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>()
            ?? throw new InvalidOperationException("The sign-in answered no token.");
        return body.AccessToken;
    }

    /// <summary>POST /api/projects with every registry field filled in (the StartAssessment guard reads them).</summary>
    public async Task<ProjectVersion> CreateProjectAsync(string token, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/projects")
        {
            Content = JsonContent.Create(new
            {
                name,
                description = "Benchmark project: restores a degraded riparian forest.",
                country = "KE",
                ecosystemTypes = new[] { "forest", "inlandWater" },
                areaHectares = 120.5m,
                startDate = "2026-03-01",
                lifespanYears = 10,
            }),
        };
        using var response = await SendAsync(request, token);
        await EnsureAsync(response, $"creating project '{name}'", HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<ProjectVersion>()
            ?? throw new InvalidOperationException("Creating a project answered no body.");
    }

    /// <summary>
    /// Settles a step: PUT /api/projects/{id}/checklist/{code} with status done, or, for a step with a form (the
    /// checklist refuses it with 422), PUT /api/projects/{id}/steps/{code} with the form schema's example values.
    /// Returns the project's new version.
    /// </summary>
    public async Task<int> CompleteStepAsync(string token, Guid projectId, string code, int expectedVersion)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/projects/{projectId}/checklist/{code}")
        {
            Content = JsonContent.Create(new { status = "done", note = "Done for the benchmark.", expectedVersion }),
        };
        using var response = await SendAsync(request, token);
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity && (await response.Content.ReadAsStringAsync()).Contains("\"form\"", StringComparison.Ordinal))
            return await FillFormAsync(token, projectId, code, expectedVersion);
        await EnsureAsync(response, $"completing step {code} of project {projectId}");
        var body = await response.Content.ReadFromJsonAsync<ChecklistUpdate>()
            ?? throw new InvalidOperationException("Updating the checklist answered no body.");
        return body.Version;
    }

    /// <summary>A participation event for <paramref name="stepCode"/>, counted by gender (v2's participationRecorded); returns the new version.</summary>
    public async Task<int> AddParticipationAsync(string token, Guid projectId, string stepCode, int expectedVersion)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{projectId}/participation")
        {
            Content = JsonContent.Create(new
            {
                date = "2026-04-01", stepCode, method = "Village meeting", purpose = "Benchmark set-up.", women = 10, men = 9, otherGender = 0,
                iplcMembers = 0, nonIplcMembers = 19, outcome = "Agreed.", expectedVersion,
            }),
        };
        return await VersionOfAsync(request, token, $"recording participation in {stepCode} of project {projectId}");
    }

    /// <summary>One complete environmental and one complete socio-economic target (v2's planHasSmartTargets); returns the new version.</summary>
    public async Task<int> AddSmartTargetsAsync(string token, Guid projectId, int expectedVersion)
    {
        foreach (var (kind, indicator, unit, quantity, percent) in new[] { ("environmental", "vegetationBiomass", "t/ha", 50m, true), ("socioEconomic", "jobsCreated", "jobs", 40m, false) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{projectId}/targets")
            {
                Content = JsonContent.Create(new
                {
                    kind, indicator, unit, baseline = new { value = 10m, date = "2025-06-01", source = "Benchmark survey" }, action = "increase",
                    quantity, quantityIsPercent = percent, deadline = "2030-12-31", monitoringFrequencyMonths = 12, siteIds = Array.Empty<Guid>(), expectedVersion,
                }),
            };
            expectedVersion = await VersionOfAsync(request, token, $"adding a {kind} target to project {projectId}");
        }
        return expectedVersion;
    }

    private async Task<int> VersionOfAsync(HttpRequestMessage request, string token, string what)
    {
        using var response = await SendAsync(request, token);
        await EnsureAsync(response, what, HttpStatusCode.Created);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("version").GetInt32();
    }

    private async Task<int> FillFormAsync(string token, Guid projectId, string code, int expectedVersion)
    {
        using var schemaRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/forms/{code}");
        using var schemaResponse = await SendAsync(schemaRequest, token);
        await EnsureAsync(schemaResponse, $"reading the form of {code}");
        using var schema = System.Text.Json.JsonDocument.Parse(await schemaResponse.Content.ReadAsStringAsync());
        var values = System.Text.Json.Nodes.JsonNode.Parse(schema.RootElement.GetProperty("examples")[0].GetRawText())!;
        if (values.ToJsonString().Contains("\"siteIds\"", StringComparison.Ordinal))
        {
            // C5's "where" names the project's own sites: add one and point the example at it.
            (var siteId, expectedVersion) = await AddSiteAsync(token, projectId, expectedVersion);
            ReplaceSiteIds(values, siteId);
        }
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/projects/{projectId}/steps/{code}")
        {
            Content = JsonContent.Create(new { values, expectedVersion }),
        };
        using var response = await SendAsync(request, token);
        await EnsureAsync(response, $"filling form {code} of project {projectId}");
        var body = await response.Content.ReadFromJsonAsync<ChecklistUpdate>()
            ?? throw new InvalidOperationException("Saving the form answered no body.");
        return body.Version;
    }

    private async Task<(string SiteId, int Version)> AddSiteAsync(string token, Guid projectId, int expectedVersion)
    {
        var boundary = new { type = "Polygon", coordinates = new[] { new[] { new[] { 36.80, -1.40 }, new[] { 36.90, -1.40 }, new[] { 36.90, -1.30 }, new[] { 36.80, -1.30 }, new[] { 36.80, -1.40 } } } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{projectId}/sites")
        {
            Content = JsonContent.Create(new { name = "Benchmark site", ecosystemType = "wetland", tenure = "public", declaredHectares = 12300m, boundary, expectedVersion }),
        };
        using var response = await SendAsync(request, token);
        await EnsureAsync(response, $"adding a site to project {projectId}", HttpStatusCode.Created);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("id").GetString()!, body.RootElement.GetProperty("version").GetInt32());
    }

    private static void ReplaceSiteIds(System.Text.Json.Nodes.JsonNode? node, string siteId)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (name == "siteIds")
                        obj[name] = new System.Text.Json.Nodes.JsonArray(siteId);
                    else
                        ReplaceSiteIds(obj[name], siteId);
                }
                break;
            case System.Text.Json.Nodes.JsonArray array:
                foreach (var item in array)
                    ReplaceSiteIds(item, siteId);
                break;
        }
    }

    /// <summary>GET /api/projects/{id}: its state and version.</summary>
    public async Task<ProjectVersion> GetProjectAsync(string token, Guid projectId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}");
        using var response = await SendAsync(request, token);
        await EnsureAsync(response, $"reading project {projectId}");
        return await response.Content.ReadFromJsonAsync<ProjectVersion>()
            ?? throw new InvalidOperationException("Reading a project answered no body.");
    }

    /// <summary>GET /api/projects/{id} as a measured read: the status code only (the body is read and dropped).</summary>
    public async Task<HttpStatusCode> ReadProjectAsync(string token, Guid projectId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}");
        using var response = await SendAsync(request, token);
        return response.StatusCode;
    }

    /// <summary>GET of a path without a token (the health endpoints): the status code only.</summary>
    public async Task<HttpStatusCode> GetStatusAsync(string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    /// <summary>GET /api/workflows/{id}/{version}: the definition as the app loaded it (from workflows/*.json).</summary>
    public async Task<WorkflowModel> GetWorkflowAsync(string token, WorkflowRef workflow)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/workflows/{Uri.EscapeDataString(workflow.Id)}/{workflow.Version}");
        using var response = await SendAsync(request, token);
        await EnsureAsync(response, $"reading workflow {workflow.Id} version {workflow.Version}");
        return await response.Content.ReadFromJsonAsync<WorkflowModel>()
            ?? throw new InvalidOperationException("Reading a workflow answered no body.");
    }

    /// <summary>
    /// Whether the app decides gates through approval requests: <c>GET /api/projects/{id}/approvals</c> of a project
    /// the benchmark has just created answers 200, or 404 on a build from before the approvals issue, which fires a
    /// gate's approve and reject transitions directly (<c>--app</c> starts one to measure the same cycle before and after).
    /// </summary>
    public async Task<bool> HasApprovalRequestsAsync(string token, Guid projectId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}/approvals");
        using var response = await SendAsync(request, token);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw new InvalidOperationException(
                $"GET /api/projects/{projectId}/approvals answered {(int)response.StatusCode}; expected 200 (approval requests) or 404 (none)."),
        };
    }

    /// <summary>POST /api/projects/{id}/transitions during set-up, where anything but 200 stops the run.</summary>
    public async Task<ProjectVersion> FireOrThrowAsync(string token, Guid projectId, string trigger, int expectedVersion, string? comment)
    {
        var (status, result, problem) = await FireAsync(token, projectId, trigger, expectedVersion, comment);
        if (status != HttpStatusCode.OK)
            throw new InvalidOperationException($"Firing {trigger} on project {projectId} answered {(int)status}: {problem}");
        return result!;
    }

    /// <summary>
    /// POST /api/projects/{id}/transitions <c>{trigger, expectedVersion}</c>: on 200 the new state and version (and
    /// the approval request a submission opened), otherwise the status and the problem body.
    /// </summary>
    public async Task<(HttpStatusCode Status, ProjectVersion? Result, string? Problem)> FireAsync(
        string token, Guid projectId, string trigger, int expectedVersion, string? comment = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{projectId}/transitions")
        {
            Content = new StringContent(FireBody(trigger, expectedVersion, comment), Encoding.UTF8, "application/json"),
        };
        using var response = await SendAsync(request, token);
        if (response.StatusCode == HttpStatusCode.OK)
            return (response.StatusCode, await response.Content.ReadFromJsonAsync<ProjectVersion>(), null);
        return (response.StatusCode, null, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// GET /api/projects/{id}/approvals?status=open&amp;gate=…: the id of the open request of <paramref name="gate"/>,
    /// without the project's history of requests (which grows by one per submission).
    /// </summary>
    public async Task<Guid> OpenRequestAsync(string token, Guid projectId, string gate)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/projects/{projectId}/approvals?status=open&gate={Uri.EscapeDataString(gate)}");
        using var response = await SendAsync(request, token);
        await EnsureAsync(response, $"reading the approvals of project {projectId}");
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var item in body.RootElement.GetProperty("requests").EnumerateArray())
        {
            if (item.GetProperty("gate").GetString() == gate && item.GetProperty("status").GetString() == "open")
                return item.GetProperty("id").GetGuid();
        }
        throw new InvalidOperationException($"Project {projectId} has no open request of the gate '{gate}'.");
    }

    /// <summary>
    /// POST /api/approvals/{requestId}/decisions: on 201 the project's state and version after the decision, otherwise
    /// the status and the problem body.
    /// </summary>
    public async Task<(HttpStatusCode Status, ProjectVersion? Result, string? Problem)> DecideAsync(
        string token, Guid projectId, Guid requestId, string decision, string? comment)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/approvals/{requestId}/decisions")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { decision, comment }), Encoding.UTF8, "application/json"),
        };
        using var response = await SendAsync(request, token);
        if (response.StatusCode != HttpStatusCode.Created)
            return (response.StatusCode, null, await response.Content.ReadAsStringAsync());
        var made = await response.Content.ReadFromJsonAsync<DecisionResult>()
            ?? throw new InvalidOperationException("A decision answered no body.");
        return (response.StatusCode, new ProjectVersion(projectId, made.ProjectState, made.ProjectVersion), null);
    }

    private sealed record DecisionResult(string ProjectState, int ProjectVersion);

    private static string FireBody(string trigger, int expectedVersion, string? comment) =>
        comment is null
            ? string.Create(CultureInfo.InvariantCulture, $$"""{"trigger":"{{trigger}}","expectedVersion":{{expectedVersion}}}""")
            : System.Text.Json.JsonSerializer.Serialize(new { trigger, expectedVersion, comment });

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, HttpStatusCode expected = HttpStatusCode.OK)
    {
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private sealed record TokenResponse(string AccessToken);

    private sealed record ChecklistUpdate(Guid ProjectId, int Version);
}

/// <summary>
/// What the project endpoints answer that the benchmark needs: id, state, version (and the workflow, where given;
/// and what a transition created beside the project, such as the approval request a submission opened).
/// </summary>
internal sealed record ProjectVersion(Guid Id, string State, int Version, WorkflowRef? Workflow = null, IReadOnlyList<CreatedRef>? Created = null)
{
    /// <summary>The approval request the transition that answered this opened, if it says so (not builds from before the answer named it).</summary>
    public Guid? OpenedRequest => Created?.FirstOrDefault(c => c.Kind == "approvalRequest")?.Id;
}

internal sealed record CreatedRef(string Kind, Guid Id);

internal sealed record WorkflowRef(string Id, int Version);
