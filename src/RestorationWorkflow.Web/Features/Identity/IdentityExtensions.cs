using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Identity;

public static class IdentityExtensions
{
    /// <summary>
    /// Picks the bearer scheme under <c>/api</c> and wherever the request carries a bearer token, the cookie
    /// otherwise: <c>/api</c> never accepts the cookie, so a cross-site request that carries it gets a 401.
    /// </summary>
    public const string SmartScheme = "Smart";

    /// <summary>
    /// ASP.NET Core Identity on EF Core: a cookie for the pages, bearer tokens for the API (checked against the
    /// account on every request, <see cref="AccountStatusCache"/>), rate-limited sign-in without lockout
    /// (<see cref="PasswordSignIn"/>), and the named policies of <see cref="Policies"/>.
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
                context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                || context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(1);
                o.Events.OnMessageReceived = AccountStatusCache.RejectRevokedTokenAsync;
            })
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
                // Lockout is what administrators set (until unlocked); failed sign-ins never lock an account,
                // the per-account rate limit bounds guessing instead (decision 0015).
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
            .AddApiEndpoints();

        // Role changes, lock-outs and password changes reach signed-in cookies within the same interval as bearer
        // tokens (Identity:BearerRecheckInterval, at most 30 s), on every node: the cookie's security stamp is read
        // again once it is older than that, on the app's clock (decision 0041).
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<AccountStatusCacheOptions>, TimeProvider>((o, accounts, time) =>
        {
            o.ValidationInterval = AccountStatusCacheOptions.Clamp(accounts.Value.RecheckInterval);
            o.TimeProvider = time;
        });
        // The cookie's issue time on the same clock as the check above.
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<TimeProvider>((o, time) => o.TimeProvider = time);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(Policies.SignedInWithRole, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.All))
            .AddPolicy(Policies.ReadProjects, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.All))
            .AddPolicy(Policies.CreateProjects, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.ProjectManager))
            .AddPolicy(Policies.ReviewProjects, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.Approver))
            .AddPolicy(Policies.ReadAuditTrail, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.Auditor))
            .AddPolicy(Policies.ManageUsers, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.Administrator))
            .AddPolicy(Policies.ManageWorkflows, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.Administrator));

        services.AddMemoryCache();
        services.AddOptions<AccountStatusCacheOptions>().Configure<IConfiguration>((o, configuration) =>
            o.RecheckInterval = configuration.GetValue("Identity:BearerRecheckInterval", AccountStatusCacheOptions.MaxRecheckInterval));
        services.AddScoped<AccountStatusCache>();
        services.AddSingleton<BearerTicketCache>();
        services.AddOptions<SignInRateLimitOptions>().BindConfiguration(SignInRateLimitOptions.Section);
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<SignInThrottleAudit>();
        services.AddHostedService(sp => sp.GetRequiredService<SignInThrottleAudit>());
        services.AddScoped<PasswordSignIn>();
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
    /// <c>/api/auth/*</c> from <c>MapIdentityApi</c>, kept to what works here. <c>/login</c> signs in through
    /// <see cref="PasswordSignIn"/> (bearer tokens only; rate-limited; one answer for every failure);
    /// <c>/refresh</c> as Identity does it; <c>POST /manage/info</c> changes the password through
    /// <see cref="UserAdministration.ChangePasswordAsync"/> (audited) and refuses e-mail changes. Self-registration
    /// (users are created by administrators), e-mail confirmation and password reset (no e-mail sender is
    /// configured) and 2FA answer 404 and are left out of the OpenAPI document.
    /// </summary>
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth")
            .WithApiTag("Auth", "Sign in for a bearer token, renew it, and the signed-in account.")
            .WithAuthApiDocumentation();
        group.MapIdentityApi<AppUser>().Add(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder { RoutePattern.RawText: { } pattern })
                return;
            if (Unavailable.FirstOrDefault(u => pattern.EndsWith(u.Suffix, StringComparison.OrdinalIgnoreCase)) is { Suffix: not null } unavailable)
            {
                // Replaces Identity's handler before it binds the body: 404 whatever the request carries.
                endpoint.Metadata.Add(new ExcludeFromDescriptionAttribute());
                endpoint.RequestDelegate = context => TypedResults.Problem(
                    statusCode: StatusCodes.Status404NotFound, title: unavailable.Title, detail: unavailable.Detail).ExecuteAsync(context);
            }
            else if (pattern.EndsWith("/login", StringComparison.OrdinalIgnoreCase))
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
                endpoint.FilterFactories.Add((_, _) => SignInWithBearerTokenAsync);
            }
            else if (pattern.EndsWith("/manage/info", StringComparison.OrdinalIgnoreCase))
            {
                endpoint.FilterFactories.Add((_, next) => context => ChangePasswordThenAnswerInfoAsync(context, next));
            }
        });
        return app;
    }

    private static readonly (string Suffix, string Title, string Detail)[] Unavailable =
    [
        ("/register", "Self-registration is disabled.", "Accounts are created by an administrator (POST /api/admin/users)."),
        ("/confirmEmail", "E-mail confirmation is not available.", "Accounts are created confirmed by an administrator; no e-mail is sent."),
        ("/resendConfirmationEmail", "E-mail confirmation is not available.", "Accounts are created confirmed by an administrator; no e-mail is sent."),
        ("/forgotPassword", "Password reset by e-mail is not available.", "No e-mail sender is configured: ask an administrator."),
        ("/resetPassword", "Password reset by e-mail is not available.", "No e-mail sender is configured: ask an administrator."),
        ("/manage/2fa", "Two-factor authentication is not available.", "Sign-in uses the e-mail and password only."),
    ];

    /// <summary>Replaces Identity's <c>/login</c> handler: see <see cref="PasswordSignIn"/>. <c>useCookies</c> is ignored: <c>/api</c> takes bearer tokens only.</summary>
    private static async ValueTask<object?> SignInWithBearerTokenAsync(EndpointFilterInvocationContext context)
    {
        var http = context.HttpContext;
        var login = context.Arguments.OfType<Microsoft.AspNetCore.Identity.Data.LoginRequest>().FirstOrDefault();
        var attempt = await http.RequestServices.GetRequiredService<PasswordSignIn>()
            .SignInAsync(http, login?.Email, login?.Password, IdentityConstants.BearerScheme, persistent: false);
        switch (attempt.Outcome)
        {
            case SignInOutcome.SignedIn:
                // The bearer handler has written the token response.
                return TypedResults.Empty;
            case SignInOutcome.Throttled:
                http.Response.Headers.RetryAfter = attempt.Refusal!.RetryAfterHeader;
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sign-in attempts.",
                    detail: string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Try again in {attempt.Refusal.RetryAfterSeconds} seconds."),
                    type: "https://tools.ietf.org/html/rfc6585#section-4");
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed.", detail: "The e-mail or password is not correct.");
        }
    }

    /// <summary>
    /// Before Identity's <c>POST /manage/info</c>: a password change goes through <see cref="UserAdministration"/>
    /// (audited, in one transaction), then Identity answers with the account's info. A new e-mail address is
    /// refused: Identity would only send a confirmation e-mail, and there is no sender.
    /// </summary>
    private static async ValueTask<object?> ChangePasswordThenAnswerInfoAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var index = -1;
        for (var i = 0; i < context.Arguments.Count && index < 0; i++)
            index = context.Arguments[i] is Microsoft.AspNetCore.Identity.Data.InfoRequest ? i : -1;
        if (index < 0)
            return await next(context);
        var request = (Microsoft.AspNetCore.Identity.Data.InfoRequest)context.Arguments[index]!;
        if (!string.IsNullOrEmpty(request.NewEmail))
        {
            return RestorationWorkflow.Commands.CommandResult<UserSummary>
                .Invalid("newEmail", "The e-mail address cannot be changed here: no confirmation e-mail can be sent.")
                .ToHttp(_ => TypedResults.Ok());
        }
        if (!string.IsNullOrEmpty(request.NewPassword) || !string.IsNullOrEmpty(request.OldPassword))
        {
            var services = context.HttpContext.RequestServices;
            if (await services.GetRequiredService<UserManager<AppUser>>().GetUserAsync(context.HttpContext.User) is not { } user)
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found.");
            var changed = await services.GetRequiredService<UserAdministration>().ChangePasswordAsync(user, request.OldPassword, request.NewPassword);
            if (!changed.Succeeded)
                return changed.ToHttp(_ => TypedResults.Ok());
            context.Arguments[index] = new Microsoft.AspNetCore.Identity.Data.InfoRequest();
        }
        return await next(context);
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
