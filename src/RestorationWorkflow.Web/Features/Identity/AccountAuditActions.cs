namespace RestorationWorkflow.Web.Features.Identity;

/// <summary>Account events of this feature beside <see cref="RestorationWorkflow.Audit.UserAuditActions"/>.</summary>
public static class AccountAuditActions
{
    /// <summary>The user changed their own password (the event never holds a password or hash).</summary>
    public const string PasswordChanged = "user.password-changed";

    /// <summary>Sign-in to the account was refused by the per-account limit: someone is guessing its password.</summary>
    public const string SignInThrottled = "user.sign-in-throttled";
}
