using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.IntegrationTests.Identity;

/// <summary>
/// Password changes (page and API) are audited in the same transaction, never with the secret; the identity
/// endpoints that cannot work here answer 404 and are not in the OpenAPI document.
/// </summary>
public sealed class AccountEndpointsTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Api_PasswordChange_WritesOneEventByTheUser_WithoutTheSecret()
    {
        var (id, email) = await Accounts.CreateAsync(factory, "api-password", "Auditor");
        const string newPassword = "Api-Changed-Password-2026!";
        using var user = await factory.ClientForAsync(email, Accounts.Password);

        var info = await (await user.PostAsJsonAsync("/api/auth/manage/info", new { oldPassword = Accounts.Password, newPassword })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(email, info.Str("email"));
        var changed = Assert.Single(await PasswordEventsAsync(id));
        Assert.Equal(id, changed.ActorId);
        Assert.Equal(email, changed.UserEmail);
        Assert.DoesNotContain(newPassword, changed.Changes, StringComparison.Ordinal);
        Assert.DoesNotContain(Accounts.Password, changed.Changes, StringComparison.Ordinal);
        var hash = await factory.QueryDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.PasswordHash!).SingleAsync());
        Assert.DoesNotContain(hash, changed.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_PasswordChange_WithWrongCurrentPassword_Is400NamingOldPassword_AndWritesNothing()
    {
        var (id, email) = await Accounts.CreateAsync(factory, "api-wrong", "Auditor");
        using var user = await factory.ClientForAsync(email, Accounts.Password);
        var stamp = await StampAsync(id);

        var problem = await (await user.PostAsJsonAsync("/api/auth/manage/info", new { oldPassword = "Not-The-Password-2026!", newPassword = "Never-Set-Password-2026!" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["oldPassword"], problem.ErrorFields());
        Assert.Empty(await PasswordEventsAsync(id));
        Assert.Equal(stamp, await StampAsync(id));
        // The token still works: nothing changed.
        await (await user.GetAsync("/api/projects")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Api_PasswordChange_ToAWeakPassword_Is400NamingNewPassword()
    {
        var (id, email) = await Accounts.CreateAsync(factory, "api-weak", "Auditor");
        using var user = await factory.ClientForAsync(email, Accounts.Password);

        var problem = await (await user.PostAsJsonAsync("/api/auth/manage/info", new { oldPassword = Accounts.Password, newPassword = "weak" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["newPassword"], problem.ErrorFields());
        Assert.Empty(await PasswordEventsAsync(id));
    }

    [Fact]
    public async Task Api_NewEmail_Is400NamingNewEmail_AndChangesNothing()
    {
        var (id, email) = await Accounts.CreateAsync(factory, "api-email", "Auditor");
        using var user = await factory.ClientForAsync(email, Accounts.Password);

        var problem = await (await user.PostAsJsonAsync("/api/auth/manage/info", new { newEmail = Accounts.NewEmail("elsewhere") }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["newEmail"], problem.ErrorFields());
        Assert.Equal(email, await factory.QueryDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.Email).SingleAsync()));
    }

    [Fact]
    public async Task Page_PasswordChange_WritesOneEvent()
    {
        var (id, email) = await Accounts.CreateAsync(factory, "page-audit", "Auditor");
        using var browser = await Accounts.SignedInBrowserAsync(factory, email, Accounts.Password);

        var response = await ManagePage.ChangePasswordAsync(browser, Accounts.Password, "Page-Changed-Password-2026!");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var changed = Assert.Single(await PasswordEventsAsync(id));
        Assert.Equal(id, changed.ActorId);
        Assert.DoesNotContain("Page-Changed-Password-2026!", changed.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_PasswordChange_WithWrongCurrentPassword_ShowsItNextToTheField_AndWritesNothing()
    {
        var (id, email) = await Accounts.CreateAsync(factory, "page-wrong", "Auditor");
        using var browser = await Accounts.SignedInBrowserAsync(factory, email, Accounts.Password);

        var response = await ManagePage.ChangePasswordAsync(browser, "Not-The-Password-2026!", "Never-Set-Password-2026!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("data-valmsg-for=\"Input.CurrentPassword\"[^>]*>Incorrect password", await response.Content.ReadAsStringAsync());
        Assert.Empty(await PasswordEventsAsync(id));
    }

    [Theory]
    [InlineData("POST", "/api/auth/register")]
    [InlineData("GET", "/api/auth/confirmEmail?userId=x&code=y")]
    [InlineData("POST", "/api/auth/resendConfirmationEmail")]
    [InlineData("POST", "/api/auth/forgotPassword")]
    [InlineData("POST", "/api/auth/resetPassword")]
    [InlineData("POST", "/api/auth/manage/2fa")]
    public async Task UnavailableIdentityEndpoint_Answers404_AndIsNotInTheOpenApiDocument(string method, string path)
    {
        using var client = await factory.ClientForAsync(DemoUsers.Auditor);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
            request.Content = JsonContent.Create(new { email = DemoUsers.Auditor, password = "Some-Password-2026!", resetCode = "x", newPassword = "Some-Password-2026!", enable = true });

        await (await client.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var document = await (await client.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain(path.Split('?')[0], paths);
        Assert.Contains("/api/auth/login", paths);
        Assert.Contains("/api/auth/manage/info", paths);
    }

    [Fact]
    public async Task ForgotPassword_SendsNothingAndChangesNoToken()
    {
        var stamp = await factory.QueryDbAsync(db => db.Users.Where(u => u.Email == DemoUsers.Pm).Select(u => u.SecurityStamp).SingleAsync());
        using var anonymous = factory.CreateClient();

        await (await anonymous.PostAsJsonAsync("/api/auth/forgotPassword", new { email = DemoUsers.Pm })).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(stamp, await factory.QueryDbAsync(db => db.Users.Where(u => u.Email == DemoUsers.Pm).Select(u => u.SecurityStamp).SingleAsync()));
    }

    private Task<List<RestorationWorkflow.Audit.UserAuditEvent>> PasswordEventsAsync(string userId) =>
        factory.QueryDbAsync(db => db.UserAuditEvents.Where(e => e.UserId == userId && e.Action == AccountAuditActions.PasswordChanged).ToListAsync());

    private Task<string?> StampAsync(string userId) =>
        factory.QueryDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync());
}
