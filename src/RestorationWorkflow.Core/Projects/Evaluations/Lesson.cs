using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects.Evaluations;

/// <summary>
/// A lesson learned (D3: share lessons on planning, funding, implementation and monitoring): its topic, what worked,
/// what did not, and the recommendation for future work. Recorded by the project's managers through the command path
/// (audited as <c>lessons.{id}.{field}</c>), read by everyone who may read the project, searched across projects.
/// </summary>
public sealed class Lesson
{
    private Lesson()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    /// <summary><see cref="LessonTopics"/>.</summary>
    public string Topic { get; private set; } = "";

    public string WhatWorked { get; private set; } = "";

    public string WhatDidNot { get; private set; } = "";

    public string Recommendation { get; private set; } = "";

    public string RecordedById { get; private set; } = "";

    public DateTimeOffset RecordedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public LessonDetails Details => new(Topic, WhatWorked, WhatDidNot, Recommendation);

    public static Lesson Create(Guid projectId, LessonDetails details, string recordedById, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        var lesson = new Lesson { Id = Guid.CreateVersion7(now), ProjectId = projectId, RecordedAt = now };
        lesson.Update(details, recordedById, now);
        return lesson;
    }

    public void Update(LessonDetails details, string recordedById, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentException.ThrowIfNullOrEmpty(recordedById);
        Topic = details.Topic;
        WhatWorked = details.WhatWorked;
        WhatDidNot = details.WhatDidNot;
        Recommendation = details.Recommendation;
        RecordedById = recordedById;
        UpdatedAt = now;
    }
}

public sealed record LessonDetails(string Topic, string WhatWorked, string WhatDidNot, string Recommendation);

/// <summary>The four topics of D3, with their labels (the seed: 规划、供资、执行和监测).</summary>
public static class LessonTopics
{
    public const string Planning = "planning";
    public const string Funding = "funding";
    public const string Implementation = "implementation";
    public const string Monitoring = "monitoring";

    public static readonly IReadOnlyList<string> All = [Planning, Funding, Implementation, Monitoring];

    public static bool IsKnown(string? topic) => topic is not null && All.Contains(topic, StringComparer.Ordinal);

    public static LocalizedText Label(string topic) => topic switch
    {
        Planning => new("Planning", "规划"),
        Funding => new("Funding", "供资"),
        Implementation => new("Implementation", "执行"),
        Monitoring => new("Monitoring", "监测"),
        _ => new(topic, topic),
    };
}

/// <summary>Lengths shared by the entities' columns and the validation.</summary>
public static class EvaluationLimits
{
    public const int MaxText = 4000;
    public const int MaxUnit = 50;
    public const int MaxBenefits = 50;
}
