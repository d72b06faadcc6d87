namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// A fault the operator must fix before the app can serve: Program writes its message, one line saying what and
/// where, to standard error and exits with code 1 (instead of an unhandled exception's stack trace and code 134).
/// </summary>
public sealed class StartupException : Exception
{
    public StartupException()
        : this("The app cannot start.")
    {
    }

    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
