using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Platform;

/// <summary>
/// Who may call what: every endpoint under <c>/api</c> and every Razor page, read from the app's
/// <see cref="EndpointDataSource"/>, called by seven callers, each cell's status stated in <see cref="Rows"/>. A new
/// endpoint without a row fails <see cref="EveryEndpoint_HasARow"/> by name.
/// </summary>
/// <remarks>
/// One app and one set-up (<see cref="World"/>): project P, managed by pm and by a user holding both ProjectManager and
/// Approver, who submitted P's assessment, so P waits in ConsentReview; project Q, managed by pm2. Mutating calls send
/// a stale <c>expectedVersion</c>: a 409 shows that the caller passed authorization and nothing was written. The API
/// is called with bearer tokens, the pages with the sign-in cookie.
/// </remarks>
public sealed partial class EndpointMatrixTests(EndpointMatrixTests.World world) : IClassFixture<EndpointMatrixTests.World>
{
    /// <summary>The callers, in the order of the columns of <see cref="Rows"/>.</summary>
    public enum Caller
    {
        Anonymous,
        Manager,
        OtherManager,
        Approver,
        Auditor,
        Administrator,
        ManagerApprover,
    }

    /// <summary>An expected answer: a status, and for a redirect the path it leads to.</summary>
    public readonly record struct Outcome(int Status, string? Location = null)
    {
        public static implicit operator Outcome(int status) => new(status);

        public override string ToString() => Location is null ? $"{Status}" : $"{Status} → {Location}";
    }

    private static readonly Outcome Login = new(302, "/Account/Login");
    private static readonly Outcome Denied = new(302, "/Account/AccessDenied");

    /// <summary>One request, and what each caller gets.</summary>
    private sealed record Row(string Endpoint, Func<World, Call> Call, Outcome[] Expected);

    internal sealed record Cell(string Endpoint, Call Call, Caller Caller, Outcome Expected, Outcome Actual, string Body);

    internal sealed record Call(string Method, string Path, object? Json = null, Func<HttpContent>? Content = null)
    {
        public override string ToString() => Json is null ? $"{Method} {Path}" : $"{Method} {Path} {JsonSerializer.Serialize(Json)}";
    }

    private const string Workflow = "staper-restoration";

    private static Row R(string endpoint, Func<World, Call> call,
        Outcome anonymous, Outcome manager, Outcome otherManager, Outcome approver, Outcome auditor, Outcome administrator, Outcome managerApprover) =>
        new(endpoint, call, [anonymous, manager, otherManager, approver, auditor, administrator, managerApprover]);

    private static Call Get(string path) => new("GET", path);

    private static Call Post(string path, object? json = null) => new("POST", path, json);

    private static Call Put(string path, object json) => new("PUT", path, json);

    /// <summary>A multipart upload of a tiny PDF with the form fields <paramref name="fields"/>.</summary>
    private static Call Upload(string path, params (string Name, string Value)[] fields) => new("POST", path, Content: () =>
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
            form.Add(new StringContent(value), name);
        form.Add(new ByteArrayContent("%PDF-1.4\n%%EOF\n"u8.ToArray()), "file", "matrix.pdf");
        return form;
    });
    private static readonly object MatrixStakeholder = new { name = "Matrix community", group = "localCommunity", isIplc = true, contact = "+254 700 000000", expectedVersion = 1 };

    private static readonly object MatrixParticipation = new
    {
        date = "2026-04-01", stepCode = "A3", method = "Village meeting", purpose = "Matrix", women = 1, men = 1, otherGender = 0, iplcMembers = 2, nonIplcMembers = 0,
        outcome = "Matrix", expectedVersion = 1,
    };

    private static readonly object MatrixConsent = new
    {
        stakeholderId = Guid.Empty.ToString().Replace('0', '1'), scopes = new[] { "assessment" }, outcome = "granted", date = "2026-04-02", expectedVersion = 1,
    };

    private static readonly object MatrixSite = new
    {
        name = "Matrix site", ecosystemType = "forest", tenure = "public", declaredHectares = 100m, expectedVersion = 1,
        boundary = new { type = "Polygon", coordinates = new[] { new[] { new[] { 36.8, -1.4 }, new[] { 36.81, -1.4 }, new[] { 36.81, -1.39 }, new[] { 36.8, -1.4 } } } },
    };

    private static readonly object MatrixEvaluation = new
    {
        effectiveness = "Matrix", impact = "Matrix", socioEconomicOutcomes = "Matrix", unintendedConsequences = "None observed",
        participationEventId = Guid.Empty.ToString().Replace('0', '2'), expectedVersion = 1,
    };

    private static readonly object MatrixLesson = new { topic = "funding", whatWorked = "Matrix", whatDidNot = "Matrix", recommendation = "Matrix", expectedVersion = 1 };

    private static Call Delete(string path) => new("DELETE", path);

    private static readonly object MatrixSpecies = new
    {
        scientificName = "Acacia tortilis", commonName = "Umbrella thorn", native = true, provenance = "local", expectedVersion = 1,
    };

    /// <summary>A valid registry body for P with a stale version: a 409 shows the caller passed authorization.</summary>
    private static readonly object StaleRegistry = new
    {
        name = "Matrix project P", code = "MATRIX-P", country = "KE", ecosystemTypes = new[] { "forest" }, areaHectares = 1m, expectedVersion = 1,
    };

    /// <summary>Endpoint (method and route pattern as the data source has it), request, then one outcome per <see cref="Caller"/>.</summary>
    private static readonly Row[] Rows =
    [
        //                                                                                                 anon  pm    pm2   appr  aud   admin pm+ap
        // Auth: how a token is obtained (anonymous), the signed-in account, and what is switched off (404).
        R("POST /api/auth/login", _ => Post("/api/auth/login", new { email = "nobody@example.org", password = "Wrong-Password-1!" }),
                                                                                                           401,  401,  401,  401,  401,  401,  401),
        R("POST /api/auth/refresh", _ => Post("/api/auth/refresh", new { refreshToken = "not-a-refresh-token" }),
                                                                                                           401,  401,  401,  401,  401,  401,  401),
        R("GET /api/auth/manage/info", _ => Get("/api/auth/manage/info"),                                  401,  200,  200,  200,  200,  200,  200),
        R("POST /api/auth/manage/info", _ => Post("/api/auth/manage/info", new { }),                       401,  200,  200,  200,  200,  200,  200),
        R("POST /api/auth/register", _ => Post("/api/auth/register", new { email = "self@example.org", password = "Self-Registered-1!" }),
                                                                                                           404,  404,  404,  404,  404,  404,  404),
        R("GET /api/auth/confirmEmail", _ => Get("/api/auth/confirmEmail?userId=x&code=y"),                404,  404,  404,  404,  404,  404,  404),
        R("POST /api/auth/resendConfirmationEmail", _ => Post("/api/auth/resendConfirmationEmail", new { email = DemoUsers.Pm }),
                                                                                                           404,  404,  404,  404,  404,  404,  404),
        R("POST /api/auth/forgotPassword", _ => Post("/api/auth/forgotPassword", new { email = DemoUsers.Pm }),
                                                                                                           404,  404,  404,  404,  404,  404,  404),
        R("POST /api/auth/resetPassword", _ => Post("/api/auth/resetPassword", new { email = DemoUsers.Pm, resetCode = "x", newPassword = "Reset-Password-1!" }),
                                                                                                           404,  404,  404,  404,  404,  404,  404),
        R("POST /api/auth/manage/2fa", _ => Post("/api/auth/manage/2fa", new { enable = true }),           401,  404,  404,  404,  404,  404,  404),

        // Administration: administrators only. The target is a user made for this test.
        R("GET /api/admin/users", _ => Get("/api/admin/users"),                                            401,  403,  403,  403,  403,  200,  403),
        R("POST /api/admin/users", _ => Post("/api/admin/users", new { email = "matrix-new@example.org", displayName = "New", password = AppFactory.DemoPassword, roles = new[] { "Auditor" } }),
                                                                                                           401,  403,  403,  403,  403,  201,  403),
        R("GET /api/admin/users/{id}", w => Get($"/api/admin/users/{w.TargetUserId}"),                    401,  403,  403,  403,  403,  200,  403),
        R("PUT /api/admin/users/{id}/roles", w => Put($"/api/admin/users/{w.TargetUserId}/roles", new { roles = new[] { "Auditor" } }),
                                                                                                           401,  403,  403,  403,  403,  200,  403),
        R("POST /api/admin/users/{id}/lock", w => Post($"/api/admin/users/{w.TargetUserId}/lock"),        401,  403,  403,  403,  403,  200,  403),
        // The last active administrator is never locked or demoted (422), not even by themselves.
        R("POST /api/admin/users/{id}/lock", w => Post($"/api/admin/users/{w.AdministratorId}/lock"),     401,  403,  403,  403,  403,  422,  403),
        R("PUT /api/admin/users/{id}/roles", w => Put($"/api/admin/users/{w.AdministratorId}/roles", new { roles = new[] { "Auditor" } }),
                                                                                                           401,  403,  403,  403,  403,  422,  403),
        R("POST /api/admin/users/{id}/unlock", w => Post($"/api/admin/users/{w.TargetUserId}/unlock"),    401,  403,  403,  403,  403,  200,  403),
        R("GET /api/admin/users/{id}/history", w => Get($"/api/admin/users/{w.TargetUserId}/history"),    401,  403,  403,  403,  403,  200,  403),

        // Projects: every role reads; project managers create; P's managers change it (409: stale version, nothing written).
        R("POST /api/projects", _ => Post("/api/projects", ProjectsApi.ValidRequest("Matrix-created project")),
                                                                                                           401,  201,  201,  403,  403,  403,  201),
        R("GET /api/projects", _ => Get("/api/projects"),                                                  401,  200,  200,  200,  200,  200,  200),
        R("GET /api/projects", _ => Get("/api/projects?page=100001"),                                      401,  400,  400,  400,  400,  400,  400),
        R("GET /api/projects/{id:guid}", w => Get($"/api/projects/{w.P}"),                                401,  200,  200,  200,  200,  200,  200),
        R("GET /api/projects/{id:guid}/checklist", w => Get($"/api/projects/{w.P}/checklist"),            401,  200,  200,  200,  200,  200,  200),
        R("PUT /api/projects/{id:guid}/checklist/{code}", w => Put($"/api/projects/{w.P}/checklist/D1", new { status = "done", expectedVersion = 1 }),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        // Step forms: every role reads a schema and a project's form; P's managers save and confirm (409: stale version).
        R("GET /api/forms/{code}", _ => Get("/api/forms/A1"),                                              401,  200,  200,  200,  200,  200,  200),
        R("GET /api/projects/{id:guid}/steps/{code}", w => Get($"/api/projects/{w.P}/steps/A1"),          401,  200,  200,  200,  200,  200,  200),
        R("PUT /api/projects/{id:guid}/steps/{code}", w => Put($"/api/projects/{w.P}/steps/A1", new { values = new { }, expectedVersion = 1 }),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("POST /api/projects/{id:guid}/steps/{code}/confirm", w => Post($"/api/projects/{w.P}/steps/A1/confirm", new { expectedVersion = 1 }),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("GET /api/projects/{id:guid}/transitions", w => Get($"/api/projects/{w.P}/transitions"),        401,  200,  200,  200,  200,  200,  200),
        // The gate's separation of duties: whoever submitted P may not decide it, whatever roles they hold.
        R("POST /api/projects/{id:guid}/transitions", w => Post($"/api/projects/{w.P}/transitions", new { trigger = "ApproveConsent", comment = "ok", expectedVersion = 1 }),
                                                                                                           401,  403,  403,  409,  403,  403,  403),
        // Approval gates (issue 17): every role reads; only an approver outside P's team who did not submit it decides
        // (409: the stale version, after authorization); P's managers resubmit (409: stale version).
        R("GET /api/projects/{id:guid}/approvals", w => Get($"/api/projects/{w.P}/approvals"),          401,  200,  200,  200,  200,  200,  200),
        R("GET /api/approvals/{requestId:guid}", w => Get($"/api/approvals/{w.R}"),                         401,  200,  200,  200,  200,  200,  200),
        R("POST /api/approvals/{requestId:guid}/decisions", w => Post($"/api/approvals/{w.R}/decisions", new { decision = "approve", comment = "ok", expectedVersion = 1 }),
                                                                                                           401,  403,  403,  409,  403,  403,  403),
        R("POST /api/projects/{id:guid}/approvals/{gate}/resubmit", w => Post($"/api/projects/{w.P}/approvals/consent/resubmit", new { expectedVersion = 1 }),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        // Approvers may withdraw consent on any project (exempt from membership); managers only on theirs.
        R("POST /api/projects/{id:guid}/transitions", w => Post($"/api/projects/{w.P}/transitions", new { trigger = "WithdrawConsent", comment = "halt", expectedVersion = 1 }),
                                                                                                           401,  409,  403,  409,  403,  403,  409),
        R("POST /api/projects/{id:guid}/transitions", w => Post($"/api/projects/{w.P}/transitions", new { trigger = "Cancel", comment = "stop", expectedVersion = 1 }),
                                                                                                           401,  409,  403,  403,  403,  409,  409),
        R("POST /api/projects/{id:guid}/members", w => Post($"/api/projects/{w.P}/members", new { email = DemoUsers.Pm2, expectedVersion = 1 }),
                                                                                                           401,  409,  403,  403,  403,  409,  409),
        // Evidence: P's managers upload (409: stale version, nothing written); every role lists and downloads.
        R("POST /api/projects/{id:guid}/evidence", w => Upload($"/api/projects/{w.P}/evidence", ("code", "A1"), ("expectedVersion", "1")),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("GET /api/projects/{id:guid}/evidence", w => Get($"/api/projects/{w.P}/evidence"),              401,  200,  200,  200,  200,  200,  200),
        R("GET /api/evidence/{id:guid}/file", w => Get($"/api/evidence/{w.E}/file"),                       401,  200,  200,  200,  200,  200,  200),
        // Reports: auditors, managers and approvers of readable projects (every role reads every project) request and
        // download project reports; administrators only portfolio reports. A portfolio report (decision 0040): every role
        // requests one of their own scope; pm's is seen by pm, approvers, auditors and administrators, not by pm2.
        R("POST /api/projects/{id:guid}/reports", w => Post($"/api/projects/{w.P}/reports", new { kind = "audit-trail", language = "en" }),
                                                                                                           401,  202,  202,  202,  202,  403,  202),
        R("GET /api/projects/{id:guid}/reports", w => Get($"/api/projects/{w.P}/reports"),                401,  200,  200,  200,  200,  403,  200),
        R("POST /api/reports", _ => Post("/api/reports", new { kind = "portfolio", language = "en" }),    401,  202,  202,  202,  202,  202,  202),
        R("POST /api/reports", _ => Post("/api/reports", new { kind = "audit-trail", language = "en" }),  401,  400,  400,  400,  400,  400,  400),
        R("GET /api/reports/{id:guid}", w => Get($"/api/reports/{w.Report}"),                             401,  200,  200,  200,  200,  403,  200),
        R("GET /api/reports/{id:guid}/file", w => Get($"/api/reports/{w.Report}/file"),                   401,  200,  200,  200,  200,  403,  200),
        R("GET /api/reports/{id:guid}", w => Get($"/api/reports/{w.PortfolioReport}"),                    401,  200,  403,  200,  200,  200,  200),
        R("GET /api/reports/{id:guid}/file", w => Get($"/api/reports/{w.PortfolioReport}/file"),          401,  200,  403,  200,  200,  200,  200),
        R("PUT /api/projects/{id:guid}", w => Put($"/api/projects/{w.P}", StaleRegistry),                   401,  409,  403,  403,  403,  403,  409),
        // The team: P's managers and administrators (409: stale version, nothing written).
        R("POST /api/projects/{id:guid}/team", w => Post($"/api/projects/{w.P}/team", new { email = DemoUsers.Pm2, role = "member", expectedVersion = 1 }),
                                                                                                           401,  409,  403,  403,  403,  409,  409),
        R("DELETE /api/projects/{id:guid}/team/{userId}", w => Delete($"/api/projects/{w.P}/team/{w.ManagerApproverId}?expectedVersion=1"),
                                                                                                           401,  409,  403,  403,  403,  409,  409),
        R("GET /api/projects/{id:guid}/diagram", w => Get($"/api/projects/{w.P}/diagram"),                401,  200,  200,  200,  200,  200,  200),
        R("GET /api/projects/{id:guid}/history", w => Get($"/api/projects/{w.P}/history"),                401,  200,  200,  200,  200,  200,  200),
        R("GET /api/projects/{id:guid}/audit/verify", w => Get($"/api/projects/{w.P}/audit/verify"),      401,  200,  200,  200,  200,  200,  200),
        // Sites: every role reads; P's managers change them (409: stale version, checked before the site is looked up).
        R("GET /api/projects/{id:guid}/sites", w => Get($"/api/projects/{w.P}/sites"),                    401,  200,  200,  200,  200,  200,  200),
        R("POST /api/projects/{id:guid}/sites", w => Post($"/api/projects/{w.P}/sites", MatrixSite),      401,  409,  403,  403,  403,  403,  409),
        R("PUT /api/projects/{id:guid}/sites/{siteId:guid}", w => Put($"/api/projects/{w.P}/sites/{Guid.Empty}", MatrixSite),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("DELETE /api/projects/{id:guid}/sites/{siteId:guid}", w => new Call("DELETE", $"/api/projects/{w.P}/sites/{Guid.Empty}?expectedVersion=1"),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        // People (issue 16): every role reads; P's managers write; approvers verify consent records.
        R("GET /api/projects/{id:guid}/stakeholders", w => Get($"/api/projects/{w.P}/stakeholders"),      401,  200,  200,  200,  200,  200,  200),
        R("POST /api/projects/{id:guid}/stakeholders", w => Post($"/api/projects/{w.P}/stakeholders", MatrixStakeholder),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("PUT /api/projects/{id:guid}/stakeholders/{itemId:guid}", w => Put($"/api/projects/{w.P}/stakeholders/{Guid.Empty}", MatrixStakeholder),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("DELETE /api/projects/{id:guid}/stakeholders/{itemId:guid}", w => new Call("DELETE", $"/api/projects/{w.P}/stakeholders/{Guid.Empty}?expectedVersion=1"),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("GET /api/projects/{id:guid}/participation", w => Get($"/api/projects/{w.P}/participation"),    401,  200,  200,  200,  200,  200,  200),
        R("POST /api/projects/{id:guid}/participation", w => Post($"/api/projects/{w.P}/participation", MatrixParticipation),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("PUT /api/projects/{id:guid}/participation/{itemId:guid}", w => Put($"/api/projects/{w.P}/participation/{Guid.Empty}", MatrixParticipation),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("DELETE /api/projects/{id:guid}/participation/{itemId:guid}", w => new Call("DELETE", $"/api/projects/{w.P}/participation/{Guid.Empty}?expectedVersion=1"),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("GET /api/projects/{id:guid}/consents", w => Get($"/api/projects/{w.P}/consents"),              401,  200,  200,  200,  200,  200,  200),
        R("POST /api/projects/{id:guid}/consents", w => Post($"/api/projects/{w.P}/consents", MatrixConsent),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("PUT /api/projects/{id:guid}/consents/{itemId:guid}", w => Put($"/api/projects/{w.P}/consents/{Guid.Empty}", MatrixConsent),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("DELETE /api/projects/{id:guid}/consents/{itemId:guid}", w => new Call("DELETE", $"/api/projects/{w.P}/consents/{Guid.Empty}?expectedVersion=1"),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("POST /api/projects/{id:guid}/consents/{itemId:guid}/withdrawal", w => Post($"/api/projects/{w.P}/consents/{Guid.Empty}/withdrawal", new { date = "2026-05-01", reason = "Matrix", expectedVersion = 1 }),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("POST /api/projects/{id:guid}/consents/{itemId:guid}/verification", w => Post($"/api/projects/{w.P}/consents/{Guid.Empty}/verification", new { expectedVersion = 1 }),
                                                                                                           401,  403,  403,  409,  403,  403,  409),
        // Restoration targets: every role reads the catalogue and a project's targets; P's managers change them (409: stale version).
        R("GET /api/indicators", _ => Get("/api/indicators"),                                              401,  200,  200,  200,  200,  200,  200),
        R("GET /api/projects/{id:guid}/targets", w => Get($"/api/projects/{w.P}/targets"),                401,  200,  200,  200,  200,  200,  200),
        R("POST /api/projects/{id:guid}/targets", w => Post($"/api/projects/{w.P}/targets", TargetsApi.Environmental(1)),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("PUT /api/projects/{id:guid}/targets/{targetId:guid}", w => Put($"/api/projects/{w.P}/targets/{Guid.Empty}", TargetsApi.Environmental(1)),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("DELETE /api/projects/{id:guid}/targets/{targetId:guid}", w => Delete($"/api/projects/{w.P}/targets/{Guid.Empty}?expectedVersion=1"),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        // Monitoring results (D1): every role reads a target's measurements; P's managers record, correct, delete and import
        // them (409: stale version, checked before P's state, which takes no measurements in ConsentReview).
        R("GET /api/projects/{id:guid}/targets/{targetId:guid}/measurements", w => Get($"/api/projects/{w.P}/targets/{w.T}/measurements"),
                                                                                                           401,  200,  200,  200,  200,  200,  200),
        R("POST /api/projects/{id:guid}/targets/{targetId:guid}/measurements", w => Post($"/api/projects/{w.P}/targets/{w.T}/measurements", MeasurementsApi.Measurement(1)),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("PUT /api/projects/{id:guid}/targets/{targetId:guid}/measurements/{measurementId:guid}",
            w => Put($"/api/projects/{w.P}/targets/{w.T}/measurements/{Guid.Empty}", MeasurementsApi.Measurement(1)),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("DELETE /api/projects/{id:guid}/targets/{targetId:guid}/measurements/{measurementId:guid}",
            w => Delete($"/api/projects/{w.P}/targets/{w.T}/measurements/{Guid.Empty}?expectedVersion=1"),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("POST /api/projects/{id:guid}/measurements/import", w => new Call("POST", $"/api/projects/{w.P}/measurements/import?preview=false&expectedVersion=1",
                Content: () => new StringContent("target,date,value,unit,method,measuredBy\nvegetationBiomass,2026-06-01,41,t/ha,Plot,A\n", System.Text.Encoding.UTF8, "text/csv")),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        // Safeguards (Appendix I): every role reads; P's managers write (409: stale version); approvers outside P's team
        // acknowledge a finding (409: stale version), the manager-approver on P's team may not (separation of duties).
        R("GET /api/projects/{id:guid}/safeguards", w => Get($"/api/projects/{w.P}/safeguards"),          401,  200,  200,  200,  200,  200,  200),
        R("PUT /api/projects/{id:guid}/safeguards", w => Put($"/api/projects/{w.P}/safeguards", new { answers = Array.Empty<object>(), plansPlantingOrAfforestation = false, expectedVersion = 1 }),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("GET /api/projects/{id:guid}/safeguards/findings", w => Get($"/api/projects/{w.P}/safeguards/findings"),
                                                                                                           401,  200,  200,  200,  200,  200,  200),
        R("POST /api/projects/{id:guid}/safeguards/findings/{findingId}/acknowledgement",
            w => Post($"/api/projects/{w.P}/safeguards/findings/grassland-planting/acknowledgement", new { comment = "Checked.", expectedVersion = 1 }),
                                                                                                           401,  403,  403,  409,  403,  403,  403),
        R("GET /api/projects/{id:guid}/species", w => Get($"/api/projects/{w.P}/species"),                401,  200,  200,  200,  200,  200,  200),
        R("POST /api/projects/{id:guid}/species", w => Post($"/api/projects/{w.P}/species", MatrixSpecies), 401,  409,  403,  403,  403,  403,  409),
        R("PUT /api/projects/{id:guid}/species/{itemId:guid}", w => Put($"/api/projects/{w.P}/species/{Guid.Empty}", MatrixSpecies),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("DELETE /api/projects/{id:guid}/species/{itemId:guid}", w => Delete($"/api/projects/{w.P}/species/{Guid.Empty}?expectedVersion=1"),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        // What becomes due (issue 18): every role reads a project's schedule; P's managers record monitoring reviews (409:
        // stale version, after authorization); administrators and auditors read the overdue report across projects.
        R("GET /api/projects/{id:guid}/schedule", w => Get($"/api/projects/{w.P}/schedule"),            401,  200,  200,  200,  200,  200,  200),
        R("POST /api/projects/{id:guid}/monitoring/reviews", w => Post($"/api/projects/{w.P}/monitoring/reviews", new { reviewedOn = "2026-05-01", summary = "Matrix", expectedVersion = 1 }),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        // Evaluation, adaptive management, lessons (D1–D3): every role reads; P's managers record evaluations and lessons (409:
        // stale version, after authorization). A decision is resolved against P's state before authorization, like a
        // transition: P is in ConsentReview, which offers no decision, and the stale version turns that 422 into a 409.
        R("GET /api/projects/{id:guid}/evaluations", w => Get($"/api/projects/{w.P}/evaluations"),      401,  200,  200,  200,  200,  200,  200),
        R("POST /api/projects/{id:guid}/evaluations", w => Post($"/api/projects/{w.P}/evaluations", MatrixEvaluation),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("PUT /api/projects/{id:guid}/evaluations/{evaluationId:guid}", w => Put($"/api/projects/{w.P}/evaluations/{Guid.Empty}", MatrixEvaluation),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("POST /api/projects/{id:guid}/evaluations/decisions", w => Post($"/api/projects/{w.P}/evaluations/decisions", new { kind = "close", rationale = "Matrix", expectedVersion = 1 }),
                                                                                                           401,  409,  409,  409,  409,  409,  409),
        R("GET /api/projects/{id:guid}/lessons", w => Get($"/api/projects/{w.P}/lessons"),              401,  200,  200,  200,  200,  200,  200),
        R("POST /api/projects/{id:guid}/lessons", w => Post($"/api/projects/{w.P}/lessons", MatrixLesson),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("PUT /api/projects/{id:guid}/lessons/{lessonId:guid}", w => Put($"/api/projects/{w.P}/lessons/{Guid.Empty}", MatrixLesson),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("DELETE /api/projects/{id:guid}/lessons/{lessonId:guid}", w => Delete($"/api/projects/{w.P}/lessons/{Guid.Empty}?expectedVersion=1"),
                                                                                                           401,  409,  403,  403,  403,  403,  409),
        R("GET /api/lessons", _ => Get("/api/lessons?q=matrix"),                                           401,  200,  200,  200,  200,  200,  200),
        R("GET /api/lessons/export", _ => Get("/api/lessons/export?topic=funding"),                        401,  200,  200,  200,  200,  200,  200),
        // The portfolio (decision 0033): every role; project managers see their own projects' figures, the rest all.
        R("GET /api/portfolio", _ => Get("/api/portfolio"),                                                401,  200,  200,  200,  200,  200,  200),
        R("GET /api/portfolio", _ => Get("/api/portfolio?country=ZZ"),                                     401,  400,  400,  400,  400,  400,  400),
        R("GET /api/portfolio/projects.csv", _ => Get("/api/portfolio/projects.csv"),                      401,  200,  200,  200,  200,  200,  200),
        R("GET /api/portfolio/measurements.csv", _ => Get("/api/portfolio/measurements.csv"),              401,  200,  200,  200,  200,  200,  200),
        R("GET /api/projects/{id:guid}/export.json", w => Get($"/api/projects/{w.P}/export.json"),         401,  200,  200,  200,  200,  200,  200),
        R("GET /api/reminders/overdue", _ => Get("/api/reminders/overdue"),                                401,  403,  403,  403,  200,  200,  403),
        R("GET /api/reminders/overdue", _ => Get("/api/reminders/overdue?sort=nope"),                      401,  403,  403,  403,  400,  400,  403),
        // Approval delegations: approvers (theirs), administrators and auditors (all) read; approvers and administrators
        // give (400: the last day before the first, nothing written) and revoke (404: no such delegation); auditors only read.
        R("GET /api/approvals/delegations", _ => Get("/api/approvals/delegations"),                        401,  403,  403,  200,  200,  200,  200),
        R("GET /api/approvals/delegations/{id:guid}", _ => Get($"/api/approvals/delegations/{Guid.Empty}"), 401, 403,  403,  404,  404,  404,  404),
        R("POST /api/approvals/delegations", _ => Post("/api/approvals/delegations", new { delegateEmail = DemoUsers.Approver2, startsOn = "2026-12-10", endsOn = "2026-12-01" }),
                                                                                                           401,  403,  403,  400,  403,  400,  400),
        R("DELETE /api/approvals/delegations/{id:guid}", _ => Delete($"/api/approvals/delegations/{Guid.Empty}"),
                                                                                                           401,  403,  403,  404,  403,  404,  404),
        // The user-account chain: auditors only.
        R("GET /api/audit/users/verify", _ => Get("/api/audit/users/verify"),                              401,  403,  403,  403,  200,  403,  403),

        // Workflows: every role reads; administrators migrate (400: from and to are the same version, nothing moved).
        R("GET /api/workflows", _ => Get("/api/workflows"),                                                401,  200,  200,  200,  200,  200,  200),
        R("GET /api/workflows/{id}/{version:int}", _ => Get($"/api/workflows/{Workflow}/1"),              401,  200,  200,  200,  200,  200,  200),
        R("GET /api/workflows/{id}/{version:int}/diagram", _ => Get($"/api/workflows/{Workflow}/1/diagram"),
                                                                                                           401,  200,  200,  200,  200,  200,  200),
        R("POST /api/workflows/{id}/migrations", _ => Post($"/api/workflows/{Workflow}/migrations", new { fromVersion = 1, toVersion = 1, dryRun = true }),
                                                                                                           401,  403,  403,  403,  403,  400,  403),

        // The inbox: every role has one, filtered for the caller on the server.
        R("GET /api/inbox", _ => Get("/api/inbox"),                                                        401,  200,  200,  200,  200,  200,  200),

        // Reminders (issue 18): every person has their own notifications and preferences (someone else's notification: 404);
        // the calendar feed is anonymous (calendar clients cannot sign in), keyed by its secret token: a wrong one is 404.
        R("GET /api/notifications", _ => Get("/api/notifications?unread=true"),                           401,  200,  200,  200,  200,  200,  200),
        R("GET /api/notifications", _ => Get("/api/notifications?page=0"),                                 401,  400,  400,  400,  400,  400,  400),
        R("POST /api/notifications/{id:guid}/read", w => Post($"/api/notifications/{w.N}/read"),          401,  200,  404,  404,  404,  404,  404),
        R("POST /api/notifications/read-all", _ => Post("/api/notifications/read-all"),                   401,  200,  200,  200,  200,  200,  200),
        R("GET /api/me/preferences", _ => Get("/api/me/preferences"),                                      401,  200,  200,  200,  200,  200,  200),
        R("PUT /api/me/preferences", _ => Put("/api/me/preferences", new { emailReminders = true, dailyDigest = false, language = "en" }),
                                                                                                           401,  200,  200,  200,  200,  200,  200),
        R("PUT /api/me/preferences", _ => Put("/api/me/preferences", new { emailReminders = true, dailyDigest = false, language = "fr" }),
                                                                                                           401,  400,  400,  400,  400,  400,  400),
        R("GET /api/calendar/{token}.ics", w => Get($"/api/calendar/{w.CalendarToken}.ics"),              200,  200,  200,  200,  200,  200,  200),
        R("GET /api/calendar/{token}.ics", _ => Get($"/api/calendar/{new string('A', 43)}.ics"),           404,  404,  404,  404,  404,  404,  404),
        R("POST /api/me/calendar-token", _ => Post("/api/me/calendar-token"),                             401,  200,  200,  200,  200,  200,  200),
        R("DELETE /api/me/calendar-token", _ => Delete("/api/me/calendar-token"),                         401,  204,  204,  204,  204,  204,  204),
        R("DELETE /api/me/calendar-token", _ => Delete("/api/me/calendar-token"),                         401,  404,  404,  404,  404,  404,  404),

        // Pages: anonymous callers are sent to sign in, callers without the role to the access-denied page.
        R("GET /", _ => Get("/"),                                                                          Login, 200,  200,  200,  200,  200,  200),
        R("GET /Projects", _ => Get("/Projects"),                                                          Login, 200,  200,  200,  200,  200,  200),
        R("GET /Projects/{id:guid}", w => Get($"/Projects/{w.P}"),                                        Login, 200,  200,  200,  200,  200,  200),
        // The project page's snapshot handler (the JSON of GET /api/approvals/{requestId}, for the page's cookie): every reader.
        R("GET /Projects/{id:guid}", w => Get($"/Projects/{w.P}?handler=Snapshot&requestId={w.R}"),
                                                                                                           Login, 200,  200,  200,  200,  200,  200),
        R("GET /Projects/{id:guid}/Reports", w => Get($"/Projects/{w.P}/Reports"),                        Login, 200,  200,  200,  200,  Denied, 200),
        R("GET /Reports/{reportId:guid}", w => Get($"/Reports/{w.Report}"),                              Login, 200,  200,  200,  200,  Denied, 200),
        R("GET /Reports/{reportId:guid}", w => Get($"/Reports/{w.Report}?handler=File"),                 Login, 200,  200,  200,  200,  Denied, 200),
        R("GET /Reports/{reportId:guid}", w => Get($"/Reports/{w.PortfolioReport}"),                     Login, 200,  Denied, 200, 200,  200,  200),
        R("GET /Reports/{reportId:guid}", w => Get($"/Reports/{w.PortfolioReport}?handler=File"),        Login, 200,  Denied, 200, 200,  200,  200),
        R("GET /Projects/{id:guid}/Evidence", w => Get($"/Projects/{w.P}/Evidence"),                      Login, 200,  200,  200,  200,  200,  200),
        R("GET /Projects/{id:guid}/Steps/{code}", w => Get($"/Projects/{w.P}/Steps/A1"),                  Login, 200,  200,  200,  200,  200,  200),
        R("GET /Projects/{id:guid}/Sites/{siteId:guid?}", w => Get($"/Projects/{w.P}/Sites"),              Login, 200,  Denied, Denied, Denied, Denied, 200),
        R("GET /Projects/{id:guid}/Stakeholders/{itemId:guid?}", w => Get($"/Projects/{w.P}/Stakeholders"), Login, 200, Denied, Denied, Denied, Denied, 200),
        R("GET /Projects/{id:guid}/Participation/{itemId:guid?}", w => Get($"/Projects/{w.P}/Participation"), Login, 200, Denied, Denied, Denied, Denied, 200),
        R("GET /Projects/{id:guid}/Consents/{itemId:guid?}", w => Get($"/Projects/{w.P}/Consents"),        Login, 200,  Denied, Denied, Denied, Denied, 200),
        R("GET /Projects/{id:guid}/Targets/{targetId:guid?}", w => Get($"/Projects/{w.P}/Targets"),        Login, 200,  Denied, Denied, Denied, Denied, 200),
        R("GET /Projects/{id:guid}/Targets/{targetId:guid}/Measurements", w => Get($"/Projects/{w.P}/Targets/{w.T}/Measurements"),
                                                                                                           Login, 200,  200,  200,  200,  200,  200),
        // The chart (SVG) has the project page's authorization: every reader.
        R("GET /Projects/{id:guid}/Targets/{targetId:guid}/Measurements", w => Get($"/Projects/{w.P}/Targets/{w.T}/Measurements?handler=Chart"),
                                                                                                           Login, 200,  200,  200,  200,  200,  200),
        R("GET /Projects/{id:guid}/Measurements/Import", w => Get($"/Projects/{w.P}/Measurements/Import"), Login, 200,  Denied, Denied, Denied, Denied, 200),
        R("GET /Projects/{id:guid}/Safeguards", w => Get($"/Projects/{w.P}/Safeguards"),                  Login, 200,  200,  200,  200,  200,  200),
        R("GET /Projects/{id:guid}/Species/{speciesId:guid?}", w => Get($"/Projects/{w.P}/Species"),      Login, 200,  Denied, Denied, Denied, Denied, 200),
        R("GET /Projects/{id:guid}/Monitoring", w => Get($"/Projects/{w.P}/Monitoring"),                  Login, 200,  Denied, Denied, Denied, Denied, 200),
        R("GET /Projects/{id:guid}/Evaluation", w => Get($"/Projects/{w.P}/Evaluation"),                  Login, 200,  200,  200,  200,  200,  200),
        R("GET /Projects/{id:guid}/Lessons/{lessonId:guid?}", w => Get($"/Projects/{w.P}/Lessons"),        Login, 200,  Denied, Denied, Denied, Denied, 200),
        R("GET /Lessons", _ => Get("/Lessons?topic=planning"),                                             Login, 200,  200,  200,  200,  200,  200),
        R("GET /Lessons", _ => Get("/Lessons?handler=Csv"),                                                Login, 200,  200,  200,  200,  200,  200),
        R("GET /Portfolio", _ => Get("/Portfolio"),                                                        Login, 200,  200,  200,  200,  200,  200),
        R("GET /Portfolio", _ => Get("/Portfolio?startFrom=yesterday"),                                    Login, 400,  400,  400,  400,  400,  400),
        R("GET /Portfolio", _ => Get("/Portfolio?handler=Chart&chart=hectares"),                           Login, 200,  200,  200,  200,  200,  200),
        R("GET /Portfolio", _ => Get("/Portfolio?handler=Sites"),                                          Login, 200,  200,  200,  200,  200,  200),
        R("GET /Portfolio", _ => Get("/Portfolio?handler=ProjectsCsv"),                                    Login, 200,  200,  200,  200,  200,  200),
        R("GET /Portfolio", _ => Get("/Portfolio?handler=MeasurementsCsv"),                                Login, 200,  200,  200,  200,  200,  200),
        // The project's JSON export for the page's cookie: every reader.
        R("GET /Projects/{id:guid}", w => Get($"/Projects/{w.P}?handler=Export"),                         Login, 200,  200,  200,  200,  200,  200),
        R("GET /Admin/Overdue", _ => Get("/Admin/Overdue"),                                                Login, Denied, Denied, Denied, 200, 200,  Denied),
        R("GET /Projects/{id:guid}/Edit", w => Get($"/Projects/{w.P}/Edit"),                              Login, 200,  Denied, Denied, Denied, Denied, 200),
        R("GET /Projects/New", _ => Get("/Projects/New"),                                                  Login, 200,  200,  Denied, Denied, Denied, 200),
        R("GET /inbox", _ => Get("/inbox"),                                                                Login, 200,  200,  200,  200,  200,  200),
        R("GET /Reviews", _ => Get("/Reviews"),                                                            Login, Denied, Denied, 200, Denied, Denied, 200),
        R("GET /Approvals/Delegations", _ => Get("/Approvals/Delegations"),                                Login, Denied, Denied, 200, 200,  200,  200),
        R("GET /Audit", _ => Get("/Audit"),                                                                Login, Denied, Denied, Denied, 200, Denied, Denied),
        R("GET /Workflows", _ => Get("/Workflows"),                                                        Login, Denied, Denied, Denied, Denied, 200, Denied),
        R("GET /Admin/Users", _ => Get("/Admin/Users"),                                                    Login, Denied, Denied, Denied, Denied, 200, Denied),
        R("GET /Admin/Users/Create", _ => Get("/Admin/Users/Create"),                                      Login, Denied, Denied, Denied, Denied, 200, Denied),
        R("GET /Admin/Users/Edit/{id}", w => Get($"/Admin/Users/Edit/{w.TargetUserId}"),                  Login, Denied, Denied, Denied, Denied, 200, Denied),
        R("GET /Account/Manage", _ => Get("/Account/Manage"),                                              Login, 200,  200,  200,  200,  200,  200),
        R("GET /Account/Reminders", _ => Get("/Account/Reminders"),                                        Login, 200,  200,  200,  200,  200,  200),
        R("GET /Notifications", _ => Get("/Notifications"),                                                Login, 200,  200,  200,  200,  200,  200),
        R("GET /Account/Login", _ => Get("/Account/Login"),                                                200,  200,  200,  200,  200,  200,  200),
        // The access-denied page says so with its status too.
        R("GET /Account/AccessDenied", _ => Get("/Account/AccessDenied"),                                  403,  403,  403,  403,  403,  403,  403),
        R("GET /Error", _ => Get("/Error"),                                                                200,  200,  200,  200,  200,  200,  200),
        R("GET /Account/Logout", _ => Get("/Account/Logout"),                                              Login, 200,  200,  200,  200,  200,  200),
        // The Hangfire dashboard (reminder jobs): administrators only (decision 0028).
        R("GET /hangfire/{**path}", _ => Get("/hangfire"),                                                 Login, Denied, Denied, Denied, Denied, 200, Denied),
    ];

    [Fact]
    public void EveryEndpoint_HasARow()
    {
        var endpoints = world.Endpoints();
        var rows = Rows.Select(r => r.Endpoint).ToHashSet(StringComparer.Ordinal);

        var missing = endpoints.Where(e => !rows.Contains(e)).ToList();
        Assert.True(missing.Count == 0, $"Endpoints without a row in {nameof(EndpointMatrixTests)}.{nameof(Rows)}: {string.Join(", ", missing)}");
        var stale = rows.Where(r => !endpoints.Contains(r)).ToList();
        Assert.True(stale.Count == 0, $"Rows of {nameof(EndpointMatrixTests)}.{nameof(Rows)} for no endpoint: {string.Join(", ", stale)}");
    }

    [Fact]
    public async Task EveryCell_AnswersItsStatus()
    {
        var mismatches = (await world.CellsAsync())
            .Where(c => c.Actual != c.Expected)
            .Select(c => $"{c.Call} as {c.Caller}: expected {c.Expected}, got {c.Actual} {Shorten(c.Body)}")
            .ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} cell(s) differ:{Environment.NewLine}{string.Join(Environment.NewLine, mismatches)}");
    }

    /// <summary>What a client meets is in the OpenAPI document: each status a cell of the API answered is declared by its operation.</summary>
    [Fact]
    public async Task EveryStatusTheApiAnswered_IsDeclaredInTheOpenApiDocument()
    {
        using var client = world.AnonymousClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        var undeclared = new SortedSet<string>(StringComparer.Ordinal);
        var checkedCells = 0;
        foreach (var cell in (await world.CellsAsync()).Where(c => c.Call.Path.StartsWith("/api/", StringComparison.Ordinal)))
        {
            var method = cell.Endpoint[..cell.Endpoint.IndexOf(' ', StringComparison.Ordinal)];
            var path = RouteConstraint().Replace(cell.Endpoint[(method.Length + 1)..], "{$1}");
            if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                // Left out of the document only when switched off: then it serves no one.
                if (cell.Actual.Status is >= 200 and < 300)
                    undeclared.Add($"{method} {path} answered {cell.Actual.Status} ({cell.Caller}) but is not in the document");
                continue;
            }
            checkedCells++;
            var status = cell.Actual.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.GetProperty("responses").TryGetProperty(status, out _))
                undeclared.Add($"{method} {path} answered {status} ({cell.Caller}) but does not declare it");
        }
        Assert.True(checkedCells > 0, "No cell of the matrix matched an operation of the document.");
        Assert.True(undeclared.Count == 0, string.Join(Environment.NewLine, undeclared));
    }

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteConstraint();

    private static string Shorten(string text)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 200 ? line : line[..200] + "…";
    }

    /// <summary>The app, its callers (a bearer client and a cookie client each) and the projects the rows call.</summary>
    public sealed class World : IAsyncLifetime, IDisposable
    {
        public const string ManagerApproverEmail = "pm-approver@example.org";

        private readonly MatrixApp app = new();
        private readonly Dictionary<Caller, HttpClient> api = [];
        private readonly Dictionary<Caller, HttpClient> pages = [];
        private List<Cell>? cells;

        /// <summary>In ConsentReview, managed by pm and the manager-approver, who submitted it.</summary>
        public Guid P { get; private set; }

        /// <summary>P's open approval request (the consent gate).</summary>
        public Guid R { get; private set; }

        /// <summary>An evidence file of P (A1), attached before P was submitted.</summary>
        public Guid E { get; private set; }

        /// <summary>A finished audit-trail report of P (requested by the auditor, its job run by hand).</summary>
        public Guid Report { get; private set; }

        /// <summary>A finished portfolio report requested by pm (the manager), its job run by hand.</summary>
        public Guid PortfolioReport { get; private set; }

        /// <summary>A restoration target of P (added while P was a draft).</summary>
        public Guid T { get; private set; }

        /// <summary>Managed by pm2 only: makes pm2 "a manager of another project".</summary>
        public Guid Q { get; private set; }

        /// <summary>A user made for the administration rows (roles set, locked and unlocked).</summary>
        public string TargetUserId { get; private set; } = "";

        /// <summary>The user holding ProjectManager and Approver, a manager of P.</summary>
        public string ManagerApproverId { get; private set; } = "";

        /// <summary>The demo administrator: the only active one.</summary>
        public string AdministratorId { get; private set; } = "";

        /// <summary>An unread notification of pm (the manager).</summary>
        public Guid N { get; private set; }

        /// <summary>The calendar feed token of the auditor.</summary>
        public string CalendarToken { get; private set; } = "";

        public async Task InitializeAsync()
        {
            using var admin = await app.ClientForAsync(DemoUsers.Admin);
            var managerApprover = await (await admin.PostAsJsonAsync("/api/admin/users", new
            {
                email = ManagerApproverEmail, displayName = "PM and approver", password = AppFactory.DemoPassword, roles = new[] { "ProjectManager", "Approver" },
            })).ExpectAsync(HttpStatusCode.Created);
            ManagerApproverId = managerApprover.Str("id");
            var target = await (await admin.PostAsJsonAsync("/api/admin/users", new
            {
                email = "matrix-target@example.org", displayName = "Target", password = AppFactory.DemoPassword, roles = new[] { "Auditor" },
            })).ExpectAsync(HttpStatusCode.Created);
            TargetUserId = target.Str("id");
            var users = await (await admin.GetAsync("/api/admin/users")).ExpectAsync(HttpStatusCode.OK);
            AdministratorId = users.EnumerateArray().Single(u => u.Str("email") == DemoUsers.Admin).Str("id");

            var emails = new Dictionary<Caller, string>
            {
                [Caller.Manager] = DemoUsers.Pm,
                [Caller.OtherManager] = DemoUsers.Pm2,
                [Caller.Approver] = DemoUsers.Approver1,
                [Caller.Auditor] = DemoUsers.Auditor,
                [Caller.Administrator] = DemoUsers.Admin,
                [Caller.ManagerApprover] = ManagerApproverEmail,
            };
            api[Caller.Anonymous] = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            pages[Caller.Anonymous] = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            foreach (var (caller, email) in emails)
            {
                api[caller] = await app.ClientForAsync(email);
                pages[caller] = await PageSession.SignInAsync(app, email);
            }

            var pm = api[Caller.Manager];
            P = await pm.CreateProjectAsync("Matrix project P");
            var targetOfP = await pm.AddTargetAsync(P, TargetsApi.Environmental(1));
            T = targetOfP.GetProperty("id").GetGuid();
            var version = await pm.FireAsync(P, "StartAssessment", targetOfP.Number("version"));
            using (var evidence = Upload("", ("code", "A1"), ("expectedVersion", version.ToString(System.Globalization.CultureInfo.InvariantCulture))).Content!())
            {
                var uploaded = await (await pm.PostAsync($"/api/projects/{P}/evidence", evidence)).ExpectAsync(HttpStatusCode.Created);
                (E, version) = (Guid.Parse(uploaded.Str("id")), uploaded.Number("projectVersion"));
            }
            var added = await (await pm.PostAsJsonAsync($"/api/projects/{P}/members", new { email = ManagerApproverEmail, expectedVersion = version }))
                .ExpectAsync(HttpStatusCode.OK);
            version = added.Number("version");
            version = await pm.CompleteStepsAsync(P, ProjectsApi.AssessmentSteps, version);
            await api[Caller.ManagerApprover].FireAsync(P, "SubmitAssessment", version);
            R = (await pm.OpenRequestAsync(P, "consent")).GetProperty("id").GetGuid();
            Q = await api[Caller.OtherManager].CreateProjectAsync("Matrix project Q");

            var pmId = users.EnumerateArray().Single(u => u.Str("email") == DemoUsers.Pm).Str("id");
            var notification = RestorationWorkflow.Reminders.Notification.Create(pmId, P, null, "due",
                new RestorationWorkflow.Workflows.LocalizedText("Matrix reminder", "矩阵提醒"), $"/Projects/{P}", null, DateTimeOffset.UtcNow);
            await app.WithDbAsync(async db =>
            {
                db.Notifications.Add(notification);
                await db.SaveChangesAsync();
            });
            N = notification.Id;
            CalendarToken = (await (await api[Caller.Auditor].PostAsync("/api/me/calendar-token", null)).ExpectAsync(HttpStatusCode.OK)).Str("token");
            Report = (await (await api[Caller.Auditor].PostAsJsonAsync($"/api/projects/{P}/reports", new { kind = "audit-trail", language = "en" }))
                .ExpectAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
            await using (var scope = app.Scope())
                Assert.Equal(RestorationWorkflow.Web.Features.Reports.ReportJob.Outcome.Done,
                    await scope.ServiceProvider.GetRequiredService<RestorationWorkflow.Web.Features.Reports.ReportJob>().RunAsync(Report, CancellationToken.None));
            PortfolioReport = (await (await pm.PostAsJsonAsync("/api/reports", new { kind = "portfolio", language = "en" }))
                .ExpectAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
            await using (var scope = app.Scope())
                Assert.Equal(RestorationWorkflow.Web.Features.Reports.ReportJob.Outcome.Done,
                    await scope.ServiceProvider.GetRequiredService<RestorationWorkflow.Web.Features.Reports.ReportJob>().RunAsync(PortfolioReport, CancellationToken.None));
        }

        /// <summary>Every endpoint the matrix covers, as "METHOD /pattern": the API's and the pages (called with GET).</summary>
        public IReadOnlySet<string> Endpoints()
        {
            var source = app.Services.GetRequiredService<EndpointDataSource>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
            {
                var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
                if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null
                    || pattern.StartsWith("/hangfire", StringComparison.OrdinalIgnoreCase))
                {
                    names.Add($"GET {pattern}");
                }
                else if (pattern.StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
                {
                    var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
                    Assert.True(methods is { Count: > 0 }, $"{endpoint.DisplayName} ({pattern}) answers every method; give it one.");
                    foreach (var method in methods)
                        names.Add($"{method} {pattern}");
                }
            }
            return names;
        }

        public HttpClient AnonymousClient() => app.CreateClient();

        /// <summary>Every row called by every caller, once (the calls change things: a user is created, the target locked).</summary>
        internal async Task<IReadOnlyList<Cell>> CellsAsync()
        {
            if (cells is not null)
                return cells;
            cells = [];
            foreach (var row in Rows)
            {
                var call = row.Call(this);
                foreach (var caller in Enum.GetValues<Caller>())
                {
                    var (actual, body) = await SendAsync(caller, call);
                    cells.Add(new Cell(row.Endpoint, call, caller, row.Expected[(int)caller], actual, body));
                }
            }
            return cells;
        }

        private async Task<(Outcome Outcome, string Body)> SendAsync(Caller caller, Call call)
        {
            var client = call.Path.StartsWith("/api/", StringComparison.Ordinal) ? api[caller] : pages[caller];
            using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Path);
            if (call.Content is not null)
                request.Content = call.Content();
            else if (call.Json is not null)
                request.Content = JsonContent.Create(call.Json);
            else if (call.Method != "GET")
                request.Content = new StringContent("");
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var path = location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];
                return (new Outcome(status, path), body);
            }
            return (new Outcome(status), body);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

        public void Dispose()
        {
            foreach (var client in api.Values.Concat(pages.Values))
                client.Dispose();
            app.Dispose();
        }
    }

    /// <summary>The app with sign-in limits wide enough for the set-up's fourteen sign-ins and the login row.</summary>
    private sealed class MatrixApp : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Identity:SignInRateLimit:PerClient:PermitLimit"] = "1000",
        };
    }
}
