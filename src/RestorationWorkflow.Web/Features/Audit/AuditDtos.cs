using RestorationWorkflow.Audit;

namespace RestorationWorkflow.Web.Features.Audit;

public sealed record AuditEventDto(
    long Id,
    int Sequence,
    DateTimeOffset At,
    string ActorId,
    string ActorName,
    string Action,
    string? FromState,
    string? ToState,
    string? Trigger,
    string? Comment,
    System.Text.Json.JsonElement Changes,
    Projects.WorkflowRef Workflow,
    string PreviousHash,
    string Hash);

internal static class AuditMapping
{
    public static AuditEventDto ToDto(AuditEvent e)
    {
        using var changes = System.Text.Json.JsonDocument.Parse(string.IsNullOrEmpty(e.Changes) ? "{}" : e.Changes);
        return new AuditEventDto(e.Id, e.Sequence, e.At, e.ActorId, e.ActorName, e.Action, e.FromState, e.ToState, e.Trigger, e.Comment,
            changes.RootElement.Clone(), new Projects.WorkflowRef(e.WorkflowId, e.WorkflowVersion), e.PreviousHash, e.Hash);
    }
}
