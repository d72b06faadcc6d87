using System.Net;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>The new-project form shows each bad field next to its input and writes nothing.</summary>
public sealed class ProjectFormTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task InvalidForm_ShowsFieldMessages_AndCreatesNoProject()
    {
        using var client = await PageSession.SignInAsync(app, "pm@example.org");
        var before = await app.QueryDbAsync(db => db.Projects.CountAsync());
        var token = PageSession.Token(await client.GetStringAsync("/Projects/New"));
        using var form = new FormUrlEncodedContent(
        [
            new("Name", "Sahel regreening"),
            new("Country", "XX"),
            new("EcosystemTypes", "desert"),
            new("AreaHectares", "-5"),
            new("__RequestVerificationToken", token),
        ]);

        using var response = await client.PostAsync("/Projects/New", form);

        // The form comes back with the messages next to the fields, as a 400 (the command path's one page mapping).
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Matches("data-valmsg-for=\"Country\"[^>]*>'XX' is not an ISO 3166-1 alpha-2 country code", html);
        Assert.Matches("data-valmsg-for=\"EcosystemTypes\"[^>]*>'desert' is not an ecosystem type", html);
        Assert.Matches("data-valmsg-for=\"AreaHectares\"[^>]*>The area must be between 0", html);
        Assert.Equal(before, await app.QueryDbAsync(db => db.Projects.CountAsync()));
    }
}
