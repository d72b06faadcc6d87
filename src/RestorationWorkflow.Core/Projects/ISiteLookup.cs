namespace RestorationWorkflow.Projects;

/// <summary>
/// Whether a site belongs to a project. Evidence files attached to a site depend on this, not on the sites
/// feature: the sites feature registers the real implementation.
/// </summary>
public interface ISiteLookup
{
    Task<bool> SiteExistsAsync(Guid projectId, Guid siteId, CancellationToken ct);
}
