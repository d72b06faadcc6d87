namespace RestorationWorkflow.Web;

/// <summary>Marker for the one resource file of interface strings: <c>Resources/SharedResource(.zh-Hans).resx</c>.</summary>
#pragma warning disable CA1052 // A marker type for IStringLocalizer<T>: never instantiated, but must be a type argument.
public sealed class SharedResource
#pragma warning restore CA1052
{
}
