namespace RestorationWorkflow.Workflows.Guards;

/// <summary><c>{"type": "commentProvided"}</c>: the caller wrote a comment (a reason for a rejection, say).</summary>
public sealed class CommentProvidedGuard : IGuard
{
    public const string TypeName = "commentProvided";

    public static readonly LocalizedText Reason = new("A comment is required.", "必须填写意见。");

    public string Type => TypeName;

    public GuardKind Kind => GuardKind.Condition;

    public IEnumerable<GuardParameterProblem> ValidateParameters(GuardDefinition guard) => [];

    public LocalizedText? Evaluate(GuardContext context, GuardDefinition guard)
    {
        ArgumentNullException.ThrowIfNull(context);
        return string.IsNullOrWhiteSpace(context.Comment) ? Reason : null;
    }
}
