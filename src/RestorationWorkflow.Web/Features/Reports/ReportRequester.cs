using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using RestorationWorkflow.Identity;

namespace RestorationWorkflow.Web.Features.Reports;

/// <summary>
/// The render job has no signed-in user: a report that depends on its reader's rights (the dossier's masking, the
/// portfolio's scope) builds the requester as a sign-in builds them (<see cref="IUserClaimsPrincipalFactory{TUser}"/>),
/// with their roles when the report is rendered. One place for every kind.
/// </summary>
public sealed class ReportRequester(UserManager<AppUser> users, IUserClaimsPrincipalFactory<AppUser> principals)
{
    /// <summary>The requester's principal, or <c>null</c> when the account no longer exists.</summary>
    public async Task<ClaimsPrincipal?> SignInAsync(string userId)
    {
        var user = await users.FindByIdAsync(userId);
        return user is null ? null : await principals.CreateAsync(user);
    }
}
