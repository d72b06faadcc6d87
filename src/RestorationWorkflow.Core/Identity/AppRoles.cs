namespace RestorationWorkflow.Identity;

/// <summary>
/// The four roles of the product and the authorization policies built on them: the one place
/// where these names are spelled. Attributes, endpoints, pages and workflow definitions use these.
/// </summary>
public static class AppRoles
{
    public const string ProjectManager = "ProjectManager";
    public const string Approver = "Approver";
    public const string Auditor = "Auditor";
    public const string Administrator = "Administrator";

    public static readonly IReadOnlyList<string> All = [ProjectManager, Approver, Auditor, Administrator];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

/// <summary>Names of the authorization policies registered at start-up.</summary>
public static class Policies
{
    /// <summary>Any signed-in user with at least one of the four roles.</summary>
    public const string SignedInWithRole = nameof(SignedInWithRole);

    /// <summary>Administrators: users, roles, workflow definitions and migrations.</summary>
    public const string ManageUsers = nameof(ManageUsers);

    /// <summary>Administrators: workflow definition migrations.</summary>
    public const string ManageWorkflows = nameof(ManageWorkflows);

    /// <summary>Project managers: create projects.</summary>
    public const string CreateProjects = nameof(CreateProjects);

    /// <summary>Approvers: the queue of projects waiting for a review decision.</summary>
    public const string ReviewProjects = nameof(ReviewProjects);

    /// <summary>Auditors: the audit-trail overview of every project.</summary>
    public const string ReadAuditTrail = nameof(ReadAuditTrail);

    /// <summary>Every role may read projects; auditors read everything and change nothing.</summary>
    public const string ReadProjects = nameof(ReadProjects);

    /// <summary>Approvers (their own), administrators and auditors (all): approval delegations.</summary>
    public const string ReadDelegations = nameof(ReadDelegations);

    /// <summary>Approvers (their own) and administrators (on behalf of any approver): create and revoke approval delegations.</summary>
    public const string ManageDelegations = nameof(ManageDelegations);
}
