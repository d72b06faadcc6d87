using System.Net;
using System.Net.Http.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Safeguards;

/// <summary>
/// The safeguard pages: the review shows the seed's text beside each answer and saves through the command path; the
/// project page lists the findings with their safeguard; approvers see and use the Acknowledge button, managers do not;
/// the species page adds a species.
/// </summary>
public sealed class SafeguardPagesTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    [Fact]
    public async Task Manager_SavesTheReviewOnThePage_AndTheProjectPageListsTheFindingsWithTheSafeguardText_InChinese()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var client = await PageSession.SignInAsync(app, DemoUsers.Pm);

        var html = await client.GetStringAsync($"/Projects/{id}/Safeguards");
        Assert.Contains("data-testid=\"save-safeguards\"", html, StringComparison.Ordinal);
        Assert.Contains("Avoid afforestation of grasslands", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        var token = PageSession.Token(html);

        var fields = new List<(string, string)> { ("ExpectedVersion", "1"), ("PlansPlanting", "yes"), ("PlantingJustification", ""), ("__RequestVerificationToken", token) };
        for (var i = 0; i < 9; i++)
        {
            fields.Add(($"Answers[{i}].Number", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            fields.Add(($"Answers[{i}].Answer", i == 7 ? "" : i == 2 ? "notApplicable" : "addressed"));
            fields.Add(($"Answers[{i}].Note", i == 2 ? "" : "See the plan."));
        }
        using var refused = await client.PostAsync($"/Projects/{id}/Safeguards", Form([.. fields]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("not applicable needs the reason", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        fields[fields.IndexOf(("Answers[2].Note", ""))] = ("Answers[2].Note", "No fire or grazing on this wetland.");
        using var saved = await client.PostAsync($"/Projects/{id}/Safeguards", Form([.. fields]));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var review = await (await api.GetAsync($"/api/projects/{id}/safeguards")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(review.GetProperty("plansPlantingOrAfforestation").GetBoolean());
        Assert.Equal("notApplicable", review.GetProperty("safeguards")[2].Str("answer"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, review.GetProperty("safeguards")[7].GetProperty("answer").ValueKind);

        using var zh = new HttpRequestMessage(HttpMethod.Get, $"/Projects/{id}");
        zh.Headers.AcceptLanguage.ParseAdd("zh-Hans");
        var page = WebUtility.HtmlDecode(await (await client.SendAsync(zh)).Content.ReadAsStringAsync());
        Assert.Contains("data-finding=\"connectivity\"", page, StringComparison.Ordinal);
        Assert.Contains("保障措施 8：陆地和海洋景观的链接", page, StringComparison.Ordinal);
        Assert.Contains("零灭绝联盟保护点", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approver_SeesAndUsesTheAcknowledgeButton_AManagerDoesNot()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectWithAsync(SafeguardsApi.ProjectRequest("grassland"));
        await app.ForceStateAsync(id, "Planning");
        var version = await api.PutSafeguardsAsync(id, SafeguardsApi.Review(1, plansPlanting: true, justification: "Shelterbelts on cropland edges only."));

        using var manager = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var managerPage = await manager.GetStringAsync($"/Projects/{id}/Safeguards");
        Assert.Contains("data-finding=\"grassland-planting\"", managerPage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"acknowledge-grassland-planting\"", managerPage, StringComparison.Ordinal);

        using var approver = await PageSession.SignInAsync(app, DemoUsers.Approver1);
        var approverPage = await approver.GetStringAsync($"/Projects/{id}");
        Assert.Contains("data-testid=\"acknowledge-grassland-planting\"", approverPage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"save-safeguards\"", await approver.GetStringAsync($"/Projects/{id}/Safeguards"), StringComparison.Ordinal);

        using var acknowledged = await approver.PostAsync($"/Projects/{id}/Safeguards?handler=Acknowledge", Form(
            ("findingId", "grassland-planting"), ("comment", "Read the herders' agreement."), ("expectedVersion", version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("__RequestVerificationToken", PageSession.Token(AcknowledgeForm(approverPage)))));
        Assert.Equal(HttpStatusCode.Redirect, acknowledged.StatusCode);
        Assert.Equal("acknowledged", (await api.FindingsAsync(id))["grassland-planting"].Str("status"));

        // Both pages show who acknowledged it, with their comment.
        foreach (var path in new[] { acknowledged.Headers.Location!.OriginalString, $"/Projects/{id}" })
        {
            using var shown = await approver.GetAsync(path);
            var html = await shown.Content.ReadAsStringAsync();
            Assert.True(shown.StatusCode == HttpStatusCode.OK, $"{path}: {(int)shown.StatusCode}");
            Assert.Contains("Read the herders&#x27; agreement.", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Manager_AddsASpecies_OnThePage_AndAnotherManagerIsTurnedAway()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var client = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var token = PageSession.Token(await client.GetStringAsync($"/Projects/{id}/Species"));
        using var saved = await client.PostAsync($"/Projects/{id}/Species", Form(
            ("ScientificName", "Eucalyptus grandis"), ("CommonName", "Flooded gum"), ("Native", "false"), ("Provenance", "other"),
            ("PrecautionaryJustification", ""), ("ExpectedVersion", "1"), ("__RequestVerificationToken", token)));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var review = WebUtility.HtmlDecode(await client.GetStringAsync($"/Projects/{id}/Safeguards"));
        Assert.Contains("Eucalyptus grandis", review, StringComparison.Ordinal);
        Assert.Matches("data-finding=\"non-native:[0-9a-f-]+\" data-severity=\"blocking\" data-status=\"open\"", review);

        using var other = await PageSession.SignInAsync(app, DemoUsers.Pm2);
        using var denied = await other.GetAsync($"/Projects/{id}/Species");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/Account/AccessDenied", denied.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>The Acknowledge form of the grassland finding alone: its own antiforgery token must be inside it.</summary>
    private static string AcknowledgeForm(string html)
    {
        var start = html.IndexOf("data-testid=\"acknowledge-grassland-planting\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "The Acknowledge form is missing.");
        return html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
    }
}
