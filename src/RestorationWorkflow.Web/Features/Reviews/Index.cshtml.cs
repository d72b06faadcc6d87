using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reviews;

/// <summary>The approvers' queue: projects in a review state (consent and assessment, plan).</summary>
[Authorize(Policy = Policies.ReviewProjects)]
public sealed class IndexModel(Projects.ProjectFilters filters, WorkflowCatalog catalog, IStringLocalizer<SharedResource> localizer)
    : Projects.IndexModel(filters, catalog)
{
    public override string? Title => localizer["Projects waiting for review"];

    protected override bool ReviewOnly => true;
}
