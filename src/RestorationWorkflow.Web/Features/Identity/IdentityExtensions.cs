using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;

namespace RestorationWorkflow.Web.Features.Identity;

public static class IdentityExtensions
{
    /// <summary>Picks the bearer scheme when the request carries a bearer token, the cookie otherwise.</summary>
    public const string SmartScheme = "Smart";

    /// <summary>
    /// ASP.NET Core Identity on EF Core: a cookie for people, bearer tokens for machines (both accepted
    /// everywhere), lockout after five failed sign-ins, and the named policies of <see cref="Policies"/>.
    /// </summary>
    public static IHostApplicationBuilder AddIdentityAndPolicies(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(1))
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/Account/Login";
                o.LogoutPath = "/Account/Logout";
                o.AccessDeniedPath = "/Account/AccessDenied";
                o.Cookie.Name = "rw.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                // An API call never redirects to a sign-in page: it gets 401/403 (as ProblemDetails).
                o.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            }));

        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = true;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
            .AddApiEndpoints();

        // Role changes and lock-outs reach signed-in cookies within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(Policies.SignedInWithRole, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.All))
            .AddPolicy(Policies.ReadProjects, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.All))
            .AddPolicy(Policies.CreateProjects, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.ProjectManager))
            .AddPolicy(Policies.ReviewProjects, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.Approver))
            .AddPolicy(Policies.ReadAuditTrail, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.Auditor))
            .AddPolicy(Policies.ManageUsers, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.Administrator))
            .AddPolicy(Policies.ManageWorkflows, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.Administrator));

        services.AddScoped<DemoUserSeeder>();
        services.AddScoped<UserAdministration>();
        return builder;
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// <c>/api/auth/*</c> from <c>MapIdentityApi</c>. Self-registration is switched off: users are created by
    /// administrators, so <c>/api/auth/register</c> answers 404 and is left out of the OpenAPI document.
    /// </summary>
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapIdentityApi<AppUser>().Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route && route.RoutePattern.RawText?.EndsWith("/register", StringComparison.OrdinalIgnoreCase) == true)
            {
                endpoint.Metadata.Add(new Microsoft.AspNetCore.Routing.ExcludeFromDescriptionAttribute());
                endpoint.FilterFactories.Add((_, _) => _ => ValueTask.FromResult<object?>(TypedResults.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Self-registration is disabled.",
                    detail: "Accounts are created by an administrator (POST /api/admin/users).")));
            }
        });
        return app;
    }

    /// <summary>Roles always; the demo users only where <c>Seed:DemoUsers</c> is true (Development).</summary>
    public static async Task SeedAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAdministration>().EnsureRolesAsync();
        if (app.Configuration.GetValue<bool>("Seed:DemoUsers"))
            await scope.ServiceProvider.GetRequiredService<DemoUserSeeder>().SeedAsync();
    }

    /// <summary>The signed-in user's id (the NameIdentifier claim).</summary>
    public static string UserId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The user has no id claim.");
    }
}
