using RestorationWorkflow.Web.Features.Admin;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Features.Workflows;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

WebApplication app;
try
{
    var builder = WebApplication.CreateBuilder(CreateAdminCommand.HostArgs(args));
    builder.AddPlatform();
    builder.AddPersistence();
    builder.AddIdentityAndPolicies();
    builder.AddWorkflows();
    builder.AddLocalizationForEnAndZhHans();
    builder.AddProblemDetailsForEverything();
    builder.AddPages();
    app = builder.Build();
}
catch (WorkflowDefinitionException ex)
{
    // A bad definition stops start-up with one line per problem (file: JSON path: message).
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}

await app.Services.MigrateDatabaseAsync();
await app.SeedAsync();

if (CreateAdminCommand.IsInvoked(args))
    return await CreateAdminCommand.RunAsync(app.Services, args, Console.In, Console.Out, Console.Error);

app.UsePlatform();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapHealthChecks("/health");
app.MapCultureSwitch();
app.MapAuthApi();
app.MapAdminUsersApi();
app.MapProjectsApi();
app.MapWorkflowsApi();
app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();

await app.RunAsync();
return 0;

/// <summary>The web host's entry point; public so that tests can start it with WebApplicationFactory.</summary>
public partial class Program;
