namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>
/// The demo users the fixture seeds (<c>Seed:DemoUsers</c>; one per role, two project managers, two approvers)
/// and their shared password. Written out here rather than read from the seeder, so the tests check what it seeds.
/// </summary>
public static class DemoUsers
{
    public const string Password = "Restore-Demo-2026!";

    public const string Pm = "pm@example.org";
    public const string Pm2 = "pm2@example.org";
    public const string Approver1 = "approver1@example.org";
    public const string Approver2 = "approver2@example.org";
    public const string Auditor = "auditor@example.org";
    public const string Admin = "admin@example.org";
}
