using System.Globalization;
using System.Text;

namespace RestorationWorkflow.Workflows;

/// <summary>
/// Renders a workflow definition as a Mermaid <c>stateDiagram-v2</c>: every state with its label, every
/// transition with its label, the current state highlighted. Output depends only on the arguments
/// (definition order, <c>\n</c> line ends), so it can be cached and compared.
/// </summary>
public static class MermaidDiagram
{
    /// <summary>The class given to the current state.</summary>
    public const string CurrentClass = "current";

    /// <summary>The style of the current state.</summary>
    public const string CurrentClassDefinition = "classDef current fill:#f6c343,stroke:#8a6d00,stroke-width:3px";

    private const string Indent = "    ";

    /// <param name="definition">The workflow to draw.</param>
    /// <param name="currentState">A state code to highlight, or null.</param>
    /// <param name="culture">The label language; the current UI culture when null.</param>
    /// <exception cref="ArgumentException"><paramref name="currentState"/> is not a state of the definition.</exception>
    /// <param name="compact">
    /// Draw the transitions that leave many states at once (suspend, resume, cancel) only from the current
    /// state, and name them once in a note on their target: readable on a project page.
    /// </param>
    public static string Render(WorkflowDefinition definition, string? currentState = null, CultureInfo? culture = null, bool compact = false)
    {
        ArgumentNullException.ThrowIfNull(definition);
        culture ??= CultureInfo.CurrentUICulture;
        if (currentState is not null && definition.FindState(currentState) is null)
            throw new ArgumentException($"State '{currentState}' is not in workflow {definition.Key}.", nameof(currentState));

        var text = new StringBuilder();
        text.Append("stateDiagram-v2\n");
        if (currentState is not null)
            text.Append(Indent).Append(CurrentClassDefinition).Append('\n');

        foreach (var state in definition.States)
            text.Append(Indent).Append("state \"").Append(Escape(StateLabel(definition, state, culture))).Append("\" as ").Append(state.Code).Append('\n');

        text.Append(Indent).Append("[*] --> ").Append(definition.InitialState).Append('\n');

        var notes = new List<(string Target, string Text)>();
        foreach (var transition in definition.Transitions)
        {
            var label = Escape(transition.Label.For(culture));
            var collapse = compact && transition.Kind is "suspend" or "resume" or "cancel";
            if (collapse && (transition.From.Count > 1 || transition.ToPreviousState))
            {
                var target = transition.ToPreviousState ? transition.From[0] : transition.To!;
                notes.Add((target, label));
            }
            foreach (var from in transition.From)
            {
                if (collapse && (transition.From.Count > 1 || transition.ToPreviousState) && from != currentState)
                    continue;
                var targets = transition.ToPreviousState
                    ? StatesSuspendableInto(definition, from)
                    : transition.To is null ? [] : [transition.To];
                foreach (var to in targets)
                    text.Append(Indent).Append(from).Append(" --> ").Append(to).Append(" : ").Append(label).Append('\n');
            }
        }

        foreach (var group in notes.GroupBy(n => n.Target))
        {
            text.Append(Indent).Append("note right of ").Append(group.Key).Append('\n');
            foreach (var note in group)
                text.Append(Indent).Append(Indent).Append(note.Text).Append('\n');
            text.Append(Indent).Append("end note\n");
        }

        foreach (var state in definition.States.Where(s => s.Kind == StateKind.Terminal))
            text.Append(Indent).Append(state.Code).Append(" --> [*]\n");

        if (currentState is not null)
            text.Append(Indent).Append("class ").Append(currentState).Append(' ').Append(CurrentClass).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// A state's label; for a review state deciding a gate, followed by how many distinct approvers sign it off
    /// (<c>Restoration plan review · 2 approvers</c>), the one thing about the gate the diagram's arrows cannot show.
    /// </summary>
    private static string StateLabel(WorkflowDefinition definition, StateDefinition state, CultureInfo culture)
    {
        var label = state.Label.For(culture);
        if (definition.GateOfState(state.Code) is not { } gate)
            return label;
        var quorum = gate.Quorum.ToString(CultureInfo.InvariantCulture);
        var approvers = new LocalizedText(gate.Quorum == 1 ? "1 approver" : $"{quorum} approvers", $"{quorum} 名审批人");
        return $"{label} · {approvers.For(culture)}";
    }

    /// <summary>The states a project can be in before it enters <paramref name="suspendedState"/>, in definition order.</summary>
    private static List<string> StatesSuspendableInto(WorkflowDefinition definition, string suspendedState)
    {
        var sources = definition.Transitions
            .Where(t => !t.ToPreviousState && t.To == suspendedState)
            .SelectMany(t => t.From)
            .ToHashSet(StringComparer.Ordinal);
        return [.. definition.States.Select(s => s.Code).Where(sources.Contains)];
    }

    /// <summary>
    /// Replaces the characters that end a Mermaid label or statement (quotes, colons, semicolons, #, angle
    /// brackets, braces, line breaks) by Mermaid entity codes (<c>#35;</c>) or spaces.
    /// </summary>
    public static string Escape(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var text = new StringBuilder(label.Length);
        foreach (var c in label)
        {
            switch (c)
            {
                case '#' or '"' or ':' or ';' or '<' or '>' or '{' or '}' or '|' or '\\':
                    text.Append('#').Append(((int)c).ToString(CultureInfo.InvariantCulture)).Append(';');
                    break;
                case '\r' or '\n' or '\t':
                    text.Append(' ');
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
        return text.ToString();
    }
}
