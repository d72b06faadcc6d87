using System.Net;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.People;

/// <summary>
/// The People section of the project page and its forms: the contact masked for approvers and auditors and shown to
/// the manager; a refused form comes back with the message next to its field, in the reader's language.
/// </summary>
public sealed class PeoplePageTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task ProjectPage_MasksTheContactForAuditorAndApprover_AndShowsItToTheManager()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        await api.AddStakeholderAsync(id, PeopleApi.Stakeholder(1));
        await api.AddParticipationAsync(id, PeopleApi.Participation(2));

        using var manager = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var mine = WebUtility.HtmlDecode(await manager.GetStringAsync($"/Projects/{id}"));
        Assert.Contains("data-testid=\"people\"", mine, StringComparison.Ordinal);
        Assert.Contains(PeopleApi.Contact, mine, StringComparison.Ordinal);
        Assert.Contains("Village meeting", mine, StringComparison.Ordinal);

        foreach (var email in new[] { DemoUsers.Auditor, DemoUsers.Approver1 })
        {
            using var other = await PageSession.SignInAsync(app, email);
            var html = WebUtility.HtmlDecode(await other.GetStringAsync($"/Projects/{id}"));
            Assert.Contains("Ogiek community", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Wanjiru", html, StringComparison.Ordinal);
            Assert.DoesNotContain("711 222 333", html, StringComparison.Ordinal);
            Assert.Contains("•••", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StakeholderForm_ShowsAMissingNameNextToTheField_InChinese_ThenSaves()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var client = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var token = PageSession.Token(await client.GetStringAsync($"/Projects/{id}/Stakeholders"));

        FormUrlEncodedContent Form(string name) => new(new Dictionary<string, string>
        {
            ["Name"] = name, ["Group"] = "localCommunity", ["IsIplc"] = "true", ["Contact"] = "Chief's office", ["ExpectedVersion"] = "1",
            ["__RequestVerificationToken"] = token,
        });
        using var bad = new HttpRequestMessage(HttpMethod.Post, $"/Projects/{id}/Stakeholders") { Content = Form("") };
        bad.Headers.AcceptLanguage.ParseAdd("zh-Hans");
        using var refused = await client.SendAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Matches(@"data-valmsg-for=""Name""[^>]*>名称为必填项。", html);

        using var good = await client.PostAsync($"/Projects/{id}/Stakeholders", Form("Mau Forest community"));
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal($"/Projects/{id}#people", good.Headers.Location?.OriginalString);
        var stored = await app.QueryDbAsync(db => db.Stakeholders.SingleAsync(s => s.ProjectId == id));
        Assert.True(stored.IsIplc);
        Assert.Equal("Mau Forest community", stored.Name);
    }

    [Fact]
    public async Task ConsentForm_ForANonIplcStakeholder_IsRefusedWithTheReason()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        var ngo = (await api.AddStakeholderAsync(id, PeopleApi.Stakeholder(1, isIplc: false, name: "Green NGO", group: "ngo"))).Str("id");
        using var client = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var token = PageSession.Token(await client.GetStringAsync($"/Projects/{id}/Consents"));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["StakeholderId"] = ngo, ["Scopes"] = "assessment", ["Outcome"] = "granted", ["Date"] = "2026-04-02", ["ExpectedVersion"] = "2",
            ["__RequestVerificationToken"] = token,
        });
        using var refused = await client.PostAsync($"/Projects/{id}/Consents", form);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("is not indigenous peoples or a local community", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsentForm_SavesTheRenewalDate_ShowsItWhenEditing_AndRefusesOneBeforeTheConsent()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        var iplc = (await api.AddStakeholderAsync(id, PeopleApi.Stakeholder(1))).Str("id");
        using var client = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var page = await client.GetStringAsync($"/Projects/{id}/Consents");
        Assert.Contains("data-testid=\"consent-renew-on\"", page, StringComparison.Ordinal);
        FormUrlEncodedContent Form(string renewOn) => new(new Dictionary<string, string>
        {
            ["StakeholderId"] = iplc, ["Scopes"] = "assessment", ["Outcome"] = "granted", ["Date"] = "2026-04-02", ["RenewOn"] = renewOn,
            ["ExpectedVersion"] = "2", ["__RequestVerificationToken"] = PageSession.Token(page),
        });

        using (var refused = await client.PostAsync($"/Projects/{id}/Consents", Form("2026-01-01")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Matches("data-valmsg-for=\"RenewOn\"[^>]*>[^<]*must come after the date of the consent", await refused.Content.ReadAsStringAsync());
        }
        using (var saved = await client.PostAsync($"/Projects/{id}/Consents", Form("2027-04-02")))
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var consent = (await (await api.GetAsync($"/api/projects/{id}/consents")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal("2027-04-02", consent.Str("renewOn"));
        Assert.Contains("value=\"2027-04-02\"", await client.GetStringAsync($"/Projects/{id}/Consents/{consent.Str("id")}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParticipationForm_OffersTheProjectsEvidenceFiles_AndSavesTheOneChosen()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var upload = Evidence.EvidenceSamples.Form(Evidence.EvidenceSamples.Pdf(), "assembly-minutes.pdf", "A3", 1, null);
        var file = await (await api.PostAsync($"/api/projects/{id}/evidence", upload)).ExpectAsync(HttpStatusCode.Created);
        var fileId = file.Str("id");

        using var client = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var page = await client.GetStringAsync($"/Projects/{id}/Participation");
        Assert.Matches($@"<option value=""{fileId}"">A3 · assembly-minutes\.pdf \(v1\)</option>", page);

        using var saved = await client.PostAsync($"/Projects/{id}/Participation", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Date"] = "2026-04-01", ["StepCode"] = "A3", ["Method"] = "Village assembly", ["Purpose"] = "Seek consent.",
            ["Women"] = "5", ["Men"] = "4", ["OtherGender"] = "0", ["IplcMembers"] = "9", ["NonIplcMembers"] = "0",
            ["Outcome"] = "Agreed.", ["EvidenceFileId"] = fileId, ["ExpectedVersion"] = (await api.GetProjectAsync(id)).Number("version").ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["__RequestVerificationToken"] = PageSession.Token(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var events = await (await api.GetAsync($"/api/projects/{id}/participation")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(fileId, events.GetProperty("items")[0].Str("evidenceFileId"));
    }
}
