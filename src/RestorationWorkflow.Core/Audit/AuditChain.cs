using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RestorationWorkflow.Audit;

/// <summary>Computes and checks the SHA-256 chain over a project's audit events.</summary>
public static class AuditChain
{
    /// <summary>The previous hash of a project's first event.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Sets <see cref="AuditEvent.PreviousHash"/> and <see cref="AuditEvent.Hash"/>.</summary>
    public static void Seal(AuditEvent auditEvent, string? previousHash)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        auditEvent.PreviousHash = previousHash ?? Genesis;
        auditEvent.Hash = ComputeHash(auditEvent);
    }

    /// <summary>
    /// SHA-256 (lower-case hex) of a canonical JSON array of every field but the hash itself.
    /// Times are written as UTC ticks so the value survives any provider's round trip.
    /// </summary>
    public static string ComputeHash(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var buffer = new ArrayBufferWriterAdapter();
        using (var writer = new Utf8JsonWriter(buffer.Writer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(e.ProjectId.ToString("D"));
            writer.WriteNumberValue(e.Sequence);
            writer.WriteStringValue(e.ActorId);
            writer.WriteStringValue(e.ActorName);
            writer.WriteStringValue(e.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
            writer.WriteStringValue(e.Action);
            writer.WriteStringValue(e.FromState);
            writer.WriteStringValue(e.ToState);
            writer.WriteStringValue(e.Trigger);
            writer.WriteStringValue(e.Comment);
            writer.WriteStringValue(e.Changes);
            writer.WriteStringValue(e.WorkflowId);
            writer.WriteNumberValue(e.WorkflowVersion);
            writer.WriteStringValue(e.PreviousHash);
            writer.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.Writer.WrittenSpan));
    }

    /// <summary>
    /// Recomputes the chain over events ordered by sequence. Returns null when intact, otherwise the
    /// first broken link and why.
    /// </summary>
    public static AuditChainBreak? Verify(IEnumerable<AuditEvent> eventsInOrder)
    {
        ArgumentNullException.ThrowIfNull(eventsInOrder);
        return VerifyLinks(eventsInOrder.Select(e => (e.Id, e.Sequence, e.PreviousHash, e.Hash, Computed: ComputeHash(e))));
    }

    /// <summary>
    /// As <see cref="Verify(IEnumerable{AuditEvent})"/>, and also checks the chain ends at the head the project
    /// records (<c>Project.AuditSequence</c>/<c>AuditHead</c>): events removed from the end are caught too.
    /// </summary>
    public static AuditChainBreak? Verify(IReadOnlyList<AuditEvent> eventsInOrder, int headSequence, string headHash)
    {
        ArgumentNullException.ThrowIfNull(eventsInOrder);
        if (Verify(eventsInOrder) is { } broken)
            return broken;
        var last = eventsInOrder.Count > 0 ? eventsInOrder[^1] : null;
        if ((last?.Sequence ?? 0) != headSequence || !string.Equals(last?.Hash ?? "", headHash, StringComparison.Ordinal))
        {
            return new AuditChainBreak(last?.Id ?? 0, (last?.Sequence ?? 0) + 1,
                $"The project records {headSequence} event(s) ending in {Short(headHash)}, but the stored chain ends at event {last?.Sequence ?? 0}: events were removed from the end.");
        }
        return null;
    }

    /// <summary>Chains a user-account event to the one before it (<paramref name="previousHash"/>, null for the first).</summary>
    public static void Seal(UserAuditEvent auditEvent, string? previousHash)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        auditEvent.PreviousHash = previousHash ?? Genesis;
        auditEvent.Hash = ComputeHash(auditEvent);
    }

    /// <summary>SHA-256 of a canonical JSON array of every field of a user-account event but the hash itself.</summary>
    public static string ComputeHash(UserAuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var buffer = new ArrayBufferWriterAdapter();
        using (var writer = new Utf8JsonWriter(buffer.Writer))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(e.Sequence);
            writer.WriteStringValue(e.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
            writer.WriteStringValue(e.ActorId);
            writer.WriteStringValue(e.ActorName);
            writer.WriteStringValue(e.Action);
            writer.WriteStringValue(e.UserId);
            writer.WriteStringValue(e.UserEmail);
            writer.WriteStringValue(e.Changes);
            writer.WriteStringValue(e.PreviousHash);
            writer.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.Writer.WrittenSpan));
    }

    /// <summary>Recomputes the user-account chain, ordered by sequence: null when intact, otherwise the first broken link.</summary>
    public static AuditChainBreak? Verify(IReadOnlyList<UserAuditEvent> eventsInOrder)
    {
        ArgumentNullException.ThrowIfNull(eventsInOrder);
        return VerifyLinks(eventsInOrder.Select(e => (e.Id, e.Sequence, e.PreviousHash, e.Hash, Computed: ComputeHash(e))));
    }

    /// <summary>The links of one chain, in order: sequence 1, 2, 3…, each previous-hash the hash before, each hash its content's.</summary>
    private static AuditChainBreak? VerifyLinks(IEnumerable<(long Id, int Sequence, string PreviousHash, string Hash, string Computed)> links)
    {
        var expectedPrevious = Genesis;
        var expectedSequence = 1;
        foreach (var e in links)
        {
            if (e.Sequence != expectedSequence)
                return new AuditChainBreak(e.Id, e.Sequence, $"Expected sequence {expectedSequence} but found {e.Sequence}: an event is missing.");
            if (!string.Equals(e.PreviousHash, expectedPrevious, StringComparison.Ordinal))
                return new AuditChainBreak(e.Id, e.Sequence, "The previous-hash does not match the hash of the event before it.");
            if (!string.Equals(e.Computed, e.Hash, StringComparison.Ordinal))
                return new AuditChainBreak(e.Id, e.Sequence, "The stored hash does not match the event's content: the event was changed after it was written.");
            expectedPrevious = e.Hash;
            expectedSequence++;
        }
        return null;
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;

    private sealed class ArrayBufferWriterAdapter
    {
        public System.Buffers.ArrayBufferWriter<byte> Writer { get; } = new(512);
    }
}

public sealed record AuditChainBreak(long EventId, int Sequence, string Reason);
