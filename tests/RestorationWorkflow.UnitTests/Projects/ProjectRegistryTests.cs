using System.Text.Json;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Projects;
using RestorationWorkflow.UnitTests.TestSupport;

namespace RestorationWorkflow.UnitTests.Projects;

public sealed class ProjectRegistryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("KE-2026-001", true)]
    [InlineData("cn/2026.7_b", true)]
    [InlineData("-KE", false)]
    [InlineData("KE 2026", false)]
    [InlineData("", false)]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", false)]
    public void ACodeIsWellFormed_OnlyWithItsCharactersAndLength(string code, bool expected) =>
        Assert.Equal(expected, ProjectRegistryRules.IsCodeWellFormed(code));

    [Theory]
    [InlineData("KES", true)]
    [InlineData("cny", true)]
    [InlineData("EUR", true)]
    [InlineData("XXX", false)]
    [InlineData("XAU", false)]
    [InlineData("ABC", false)]
    public void Currencies_AreIso4217Money(string code, bool expected) => Assert.Equal(expected, Currencies.IsKnown(code));

    [Fact]
    public void ReefsAndTheSeedsLabels_AreThere()
    {
        Assert.Equal("礁", EcosystemTypes.Label("reefs").ZhHans);
        Assert.Equal("生态系统已在恢复中", ProjectSituations.Label("underRestoration").ZhHans);
        Assert.Equal("保护点一级", ProjectScales.Label("site").ZhHans);
    }

    [Fact]
    public void UpdateRegistry_NormalisesCodeAndCurrency()
    {
        var project = NewProject();

        project.UpdateRegistry(new ProjectRegistry(" ke-2026-009 ", " Rift Valley ", "site", true, "underRestoration",
            new DateOnly(2026, 1, 1), 5, 10m, "kes", " Lead "));

        Assert.Equal("KE-2026-009", project.Code);
        Assert.Equal("KES", project.Currency);
        Assert.Equal("Rift Valley", project.Region);
        Assert.Equal("Lead", project.LeadOrganisation);
    }

    [Fact]
    public void SetTeamRole_KeepsOneRolePerPerson()
    {
        var project = NewProject();

        Assert.Null(project.SetTeamRole("u2", ProjectMemberRole.Member, Now));
        Assert.Equal(ProjectMemberRole.Member, project.SetTeamRole("u2", ProjectMemberRole.Manager, Now));

        Assert.Equal(2, project.ManagerCount);
        Assert.Equal(2, project.Members.Count);
        Assert.True(project.RemoveFromTeam("u2"));
        Assert.False(project.RemoveFromTeam("u2"));
    }

    [Fact]
    public void Replay_NamesARegistryFieldThatDiffersFromItsEvents()
    {
        var project = NewProject();
        var created = new AuditEvent
        {
            Action = AuditActions.ProjectCreated, ActorId = "creator", ToState = "Draft", WorkflowId = "staper-restoration", WorkflowVersion = 1,
            Changes = JsonSerializer.Serialize(ProjectRegistryFields.Of(project).ToDictionary(kv => kv.Key, kv => new { @new = kv.Value })),
        };
        var checklist = StaperSteps.All.ToDictionary(s => s.Code, _ => (ChecklistStatus.Open, (string?)null));
        ProjectRows Rows(Project p) => new("Draft", "staper-restoration", 1, 1, ["creator"], checklist, [], ProjectRegistryFields.Values(p));

        Assert.Null(AuditReplay.Compare([created], Rows(project), _ => null));

        project.UpdateRegistry(project.Registry with { Budget = 99m });

        Assert.Equal("The project's budget differs from what its events recorded.", AuditReplay.Compare([created], Rows(project), _ => null));
    }

    private static Project NewProject() => Project.Create(
        new ProjectDetails("Mau", "", "KE", ["forest"], 1m), TestWorkflows.Staper, "creator", Now,
        new ProjectRegistry("KE-2026-001", "", null, false, null, null, null, 1000.50m, "KES", ""));
}
