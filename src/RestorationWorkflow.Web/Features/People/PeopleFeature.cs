using Microsoft.AspNetCore.Authorization;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.People;

public static class PeopleFeature
{
    /// <summary>Stakeholders, participation and consent: the reader, the guard data, the A3 rule and who verifies consent.</summary>
    public static IHostApplicationBuilder AddPeople(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<PeopleReader>();
        builder.Services.AddGuardDataProvider<ParticipationGuardDataProvider>(PeopleGuardData.Participation);
        builder.Services.AddGuardDataProvider<ConsentGuardDataProvider>(PeopleGuardData.Consent);
        builder.Services.AddScoped<IChecklistRule, ConsentStepRule>();
        builder.Services.AddSingleton<IAuthorizationHandler, VerifyConsentHandler>();
        return builder;
    }
}
