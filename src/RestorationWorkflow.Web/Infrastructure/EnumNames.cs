namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// An enum value read from text a person or an operator wrote: by one of its names only, in any case.
/// <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> also takes a number (<c>7</c>, which need not be a
/// member) and a list of names (<c>approved, rejected</c>, read as the sum of their values, which may be another
/// member), so a wrong setting or filter would pass as something nobody asked for.
/// </summary>
public static class EnumNames
{
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        var trimmed = text?.Trim();
        foreach (var name in Enum.GetNames<T>())
        {
            if (string.Equals(name, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                value = Enum.Parse<T>(name);
                return true;
            }
        }
        value = default;
        return false;
    }
}
