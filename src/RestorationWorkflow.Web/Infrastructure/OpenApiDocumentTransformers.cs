using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// Endpoint metadata: the description of the OpenAPI tag an endpoint is listed under, declared by the feature that
/// owns the tag (<see cref="OpenApiMetadataExtensions.WithApiTag"/>) so that this folder names no feature.
/// </summary>
public sealed record ApiTagDescription(string Name, string Description);

/// <summary>Endpoint conventions for what the OpenAPI document says about an endpoint.</summary>
public static class OpenApiMetadataExtensions
{
    /// <summary>Lists the endpoints under the tag <paramref name="name"/> and gives the tag its description.</summary>
    public static TBuilder WithApiTag<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithTags(name).WithMetadata(new ApiTagDescription(name, description));
    }
}

/// <summary>
/// Makes <c>/openapi/v1.json</c> a document a standard validator accepts: the bearer scheme declared and required
/// by every operation that requires authorization (anonymous ones say <c>security: []</c>), tag descriptions from
/// <see cref="ApiTagDescription"/> metadata, and a server URL without a trailing slash.
/// </summary>
public static class OpenApiDocumentTransformers
{
    /// <summary>The name of the bearer security scheme in <c>components.securitySchemes</c>.</summary>
    public const string BearerScheme = "Bearer";

    public static OpenApiOptions AddApiConventions(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer((document, context, _) =>
        {
            Describe(document);
            DeclareBearerScheme(document);
            DescribeTags(document, context);
            TrimServerUrls(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            operation.Security = RequiresAuthorization(metadata)
                ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }]
                : [];
            return Task.CompletedTask;
        });
        return options;
    }

    /// <summary>What the authorization middleware would enforce: an authorize attribute or policy, and no allow-anonymous.</summary>
    public static bool RequiresAuthorization(IEnumerable<object> metadata)
    {
        var list = metadata as IReadOnlyCollection<object> ?? [.. metadata];
        return list.Any(m => m is IAuthorizeData or AuthorizationPolicy) && !list.Any(m => m is IAllowAnonymous);
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "RestorationWorkflow API";
        document.Info.Description =
            "Ecosystem-restoration projects through the STAPER steps. Sign in with POST /api/auth/login and send the "
            + "accessToken as `Authorization: Bearer …`. Every error is a ProblemDetails (application/problem+json).";
    }

    private static void DeclareBearerScheme(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The accessToken from POST /api/auth/login (an opaque token, valid for an hour; renew it with POST /api/auth/refresh).",
        };
    }

    private static void DescribeTags(OpenApiDocument document, OpenApiDocumentTransformerContext context)
    {
        var descriptions = context.DescriptionGroups
            .SelectMany(g => g.Items)
            .SelectMany(d => d.ActionDescriptor.EndpointMetadata.OfType<ApiTagDescription>())
            .GroupBy(t => t.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Description, StringComparer.Ordinal);
        var used = document.Paths.Values
            .SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Reference.Id)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        document.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag { Name = name, Description = descriptions.GetValueOrDefault(name) }));
    }

    /// <summary>The server is generated from the request as <c>scheme://host/pathbase/</c>; validators reject the trailing slash.</summary>
    private static void TrimServerUrls(OpenApiDocument document)
    {
        foreach (var server in document.Servers ?? [])
        {
            if (server.Url is { Length: > 1 } url && url.EndsWith('/'))
                server.Url = url.TrimEnd('/');
        }
    }
}
