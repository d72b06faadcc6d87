using Microsoft.Extensions.Options;
using RestorationWorkflow.Web.Features.Approvals;
using RestorationWorkflow.Web.Features.Admin;
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Web.Features.DatabaseCopy;
using RestorationWorkflow.Web.Features.Demo;
using RestorationWorkflow.Web.Features.Evaluations;
using RestorationWorkflow.Web.Features.Evidence;
using RestorationWorkflow.Web.Features.Forms;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Inbox;
using RestorationWorkflow.Web.Features.Measurements;
using RestorationWorkflow.Web.Features.People;
using RestorationWorkflow.Web.Features.Portfolio;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Features.Reminders.Due;
using RestorationWorkflow.Web.Features.Reminders.Notifications;
using RestorationWorkflow.Web.Features.Reminders.Delivery;
using RestorationWorkflow.Web.Features.Safeguards;
using RestorationWorkflow.Web.Features.Sites;
using RestorationWorkflow.Web.Features.Targets;
using RestorationWorkflow.Web.Features.Workflows;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Web.Features.Reports;
using RestorationWorkflow.Workflows;

// Before the host starts its threads: one glibc malloc arena per core, not eight (decision 0058).
var nativeHeap = NativeHeap.LimitArenas(Environment.GetEnvironmentVariable, Environment.ProcessorCount);
WebApplication app;
try
{
    var builder = WebApplication.CreateBuilder(CopyDatabaseCommand.HostArgs(SeedDemoCommand.HostArgs(ReminderScanCommand.HostArgs(CreateAdminCommand.HostArgs(args)))));
    // The platform every feature leans on.
    builder.AddPlatform();
    builder.AddPersistence();
    builder.AddLocalizationForEnAndZhHans();
    builder.AddProblemDetailsForEverything();
    builder.AddPages();
    // The features, each registering its own services.
    builder.AddIdentityAndPolicies();
    builder.AddAudit();
    builder.AddWorkflows();
    builder.AddProjects();
    builder.AddEvidence();
    builder.AddStepForms();
    builder.AddSites();
    builder.AddPeople();
    builder.AddApprovals();
    builder.AddInbox();
    builder.AddTargets();
    builder.AddMeasurements();
    builder.AddEvaluations();
    builder.AddSafeguards();
    builder.AddDelegations();
    // After AddApprovals: the due-item planner runs after the approval lifecycle and sees the requests it opened or closed.
    builder.AddDueItems();
    builder.AddNotifications();
    builder.AddReminders();
    builder.AddPortfolio();
    builder.AddReporting();
    builder.AddDemo();
    builder.AddDatabaseCopy();
    app = builder.Build();
    // The options validated on start (ValidateOnStart: settings, the pages exempt from the request limit), now rather
    // than when the host starts, so that a bad one stops start-up like the faults above and before the database is touched.
    app.Services.GetService<IStartupValidator>()?.Validate();
}
catch (Exception ex) when (ex is WorkflowDefinitionException or StartupException or OptionsValidationException)
{
    // A bad definition stops start-up with one line per problem (file: JSON path: message); a Storage:Root that
    // cannot be created or written, a bad database setting or another setting out of range, with one line saying what
    // and where.
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}

// Several nodes on one PostgreSQL database take turns here (decision 0041): one migrates and seeds, the others wait,
// then find nothing left to do.
StartupLock startupLock;
try
{
    startupLock = await StartupLock.AcquireAsync(app.Services);
}
catch (StartupException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}
await using (startupLock)
{
    try
    {
        await app.Services.MigrateDatabaseAsync();
        await app.Services.CheckPinnedWorkflowsAsync();
        app.Services.ScheduleReminderJobs();
    }
    catch (StartupException ex)
    {
        // A database that cannot be opened or written, or projects pinned to a definition that is not loaded.
        await Console.Error.WriteLineAsync(ex.Message);
        return 1;
    }
    await app.SeedAsync();
    await app.Services.SealUnsealedHeadsAsync();
}

if (CreateAdminCommand.IsInvoked(args))
    return await CreateAdminCommand.RunAsync(app.Services, args, Console.In, Console.Out, Console.Error);
if (ReminderScanCommand.IsInvoked(args))
    return await ReminderScanCommand.RunAsync(app.Services, Console.Out);
if (SeedDemoCommand.IsInvoked(args))
    return await SeedDemoCommand.RunAsync(app.Services, Console.Out, Console.Error);
if (CopyDatabaseCommand.IsInvoked(args))
    return await CopyDatabaseCommand.RunAsync(app.Services, args, Console.Out, Console.Error);
try
{
    // Development, demo users, no project yet: the demo projects (Seed:DemoProjects), or a hint how to create them.
    await app.SeedDemoProjectsOnStartAsync();
}
catch (StartupException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}
// Gates whose quorum exceeds the active users who may decide them: a warning, users are added later (decision 0026).
await app.Services.LogGateStaffingAsync();
app.Logger.LogInformation("Native heap: {NativeHeap}.", nativeHeap.Describe());

app.UseSecurityHeaders();
app.UsePlatform();
// After routing: the calendar feed's per-client limit (the one endpoint anyone may call without signing in but sign-in).
app.UseRateLimiter();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapHealth();
app.MapCultureSwitch();
app.MapAuthApi();
app.MapAdminUsersApi();
app.MapProjects();
app.MapEvidence();
app.MapReports();
app.MapStepForms();
app.MapSites();
app.MapPeople();
app.MapApprovals();
app.MapInbox();
app.MapTargets();
app.MapMeasurements();
app.MapEvaluations();
app.MapSafeguards();
app.MapDelegations();
app.MapDueItems();
app.MapNotifications();
app.MapReminders();
app.MapPortfolio();
app.MapAudit();
app.MapWorkflows();
app.MapStaticAssets().ExemptFromRequestLimit();
app.MapRazorPages().WithStaticAssets();

await app.RunAsync();
return 0;

/// <summary>The web host's entry point; public so that tests can start it with WebApplicationFactory.</summary>
public partial class Program;
