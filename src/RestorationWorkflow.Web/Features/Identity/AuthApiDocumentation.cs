using Microsoft.AspNetCore.Mvc;

namespace RestorationWorkflow.Web.Features.Identity;

/// <summary>
/// What the OpenAPI document says about the <c>/api/auth</c> endpoints that <c>MapIdentityApi</c> maps and that stay
/// available: an operationId, a summary and the ProblemDetails error responses, which Identity does not declare.
/// </summary>
internal static class AuthApiDocumentation
{
    private sealed record Operation(string Method, string Suffix, string Name, string Summary, int[] Problems);

    private static readonly Operation[] Operations =
    [
        new("POST", "/login", "Login", "Signs in with e-mail and password; answers a bearer access token and a refresh token.",
            [StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized]),
        new("POST", "/refresh", "RefreshToken", "Exchanges a refresh token for a new access token; 401 once the account changed.",
            [StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized]),
        new("GET", "/manage/info", "GetAccountInfo", "The signed-in account's e-mail address.",
            [StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound]),
        new("POST", "/manage/info", "UpdateAccountInfo", "Changes the signed-in account's password (oldPassword, newPassword); audited.",
            [StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound]),
    ];

    /// <summary>Adds the operationId, summary and ProblemDetails responses of each known <c>/api/auth</c> operation.</summary>
    public static TBuilder WithAuthApiDocumentation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Finally: after Identity's own metadata (its bare 404), so that these responses are the ones described.
        builder.Finally(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder { RoutePattern.RawText: { } pattern })
                return;
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [];
            var operation = Operations.FirstOrDefault(o =>
                methods.Contains(o.Method, StringComparer.OrdinalIgnoreCase) && pattern.EndsWith(o.Suffix, StringComparison.OrdinalIgnoreCase));
            if (operation is null)
                return;
            endpoint.Metadata.Add(new EndpointNameMetadata(operation.Name));
            endpoint.Metadata.Add(new EndpointSummaryAttribute(operation.Summary));
            foreach (var status in operation.Problems)
            {
                endpoint.Metadata.Add(status == StatusCodes.Status400BadRequest
                    ? new ProducesResponseTypeMetadata(status, typeof(HttpValidationProblemDetails), ["application/problem+json"])
                    : new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
            }
        });
        return builder;
    }
}
