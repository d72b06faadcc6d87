using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects;

/// <summary>
/// One stakeholder of a project (A3): who they are, their group, whether they are indigenous peoples or a local
/// community (IPLC) and how to reach them. <see cref="Contact"/> is personal data: only the project's team and
/// administrators see it; it never enters the audit trail in clear (decision 0023).
/// </summary>
public sealed class Stakeholder
{
    private Stakeholder()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>A code of <see cref="StakeholderGroups"/>.</summary>
    public string Group { get; private set; } = "";

    /// <summary>Whether the stakeholder is indigenous peoples or a local community: their consent is required (A3).</summary>
    public bool IsIplc { get; private set; }

    /// <summary>Personal data (telephone, e-mail, address); empty when not given.</summary>
    public string Contact { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Stakeholder Create(Guid projectId, StakeholderDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        var stakeholder = new Stakeholder { Id = Guid.CreateVersion7(now), ProjectId = projectId, CreatedAt = now };
        stakeholder.Update(details, now);
        return stakeholder;
    }

    public void Update(StakeholderDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        Name = details.Name.Trim();
        Group = details.Group;
        IsIplc = details.IsIplc;
        Contact = details.Contact.Trim();
        UpdatedAt = now;
    }

    public StakeholderDetails Details => new(Name, Group, IsIplc, Contact);
}

public sealed record StakeholderDetails(string Name, string Group, bool IsIplc, string Contact);

/// <summary>The groups a stakeholder belongs to (the seed's wording where it names them).</summary>
public static class StakeholderGroups
{
    public static readonly IReadOnlyList<(string Code, LocalizedText Label)> All =
    [
        ("indigenousPeople", new("Indigenous people", "土著人民")),
        ("localCommunity", new("Local community", "地方社区")),
        ("womensGroup", new("Women's group", "妇女团体")),
        ("landOwnersOrUsers", new("Land owners or users", "土地所有者和土地管理者")),
        ("government", new("Government", "政府")),
        ("ngo", new("NGO", "非政府组织")),
        ("privateSector", new("Private sector", "私营部门")),
        ("academia", new("Academia", "学术界")),
        ("other", new("Other", "其他")),
    ];

    public static bool IsKnown(string? code) => All.Any(g => g.Code == code);

    public static LocalizedText Label(string code) => All.FirstOrDefault(g => g.Code == code).Label ?? new LocalizedText(code, code);
}
