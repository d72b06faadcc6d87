using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc;

namespace RestorationWorkflow.Web.Infrastructure;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Every error of the API is a ProblemDetails: unhandled exceptions (500, no stack trace outside
    /// Development), malformed JSON (400 naming the field), empty error statuses (401, 403, 404…).
    /// </summary>
    public static IHostApplicationBuilder AddProblemDetailsForEverything(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= OriginalPath(context.HttpContext).Value;
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        // Binding failures throw so that the handler above can name the field; otherwise minimal APIs
        // answer a bare 400 with no body.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o =>
        {
            o.SerializerOptions.AllowTrailingCommas = false;
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        return builder;
    }

    public static WebApplication UseProblemDetailsForEverything(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // For pages a friendly error page; for /api a ProblemDetails (written by the IProblemDetailsService).
            ExceptionHandlingPath = "/Error",
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase),
            api => api.UseStatusCodePages());
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase),
            pages => pages.UseStatusCodePagesWithReExecute("/Error", "?code={0}"));
        return app;
    }

    /// <summary>
    /// The path the client asked for. Inside an exception handler <c>Request.Path</c> is already the
    /// re-execution path (<c>/Error</c>); the original is on <see cref="IExceptionHandlerPathFeature"/>.
    /// </summary>
    internal static PathString OriginalPath(HttpContext context) =>
        context.Features.Get<IExceptionHandlerPathFeature>()?.Path is { } original ? new PathString(original) : context.Request.Path;

    internal static bool IsApi(HttpContext context) =>
        OriginalPath(context).StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Turns a request that could not be bound (malformed JSON, wrong type, missing body) into a 400
/// ValidationProblem whose <c>errors</c> name the field, e.g. <c>{"areaHectares": ["…"]}</c>.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // Pages (the language switcher's form) get the friendly error page instead.
        if (exception is not BadHttpRequestException bad || !ProblemDetailsExtensions.IsApi(httpContext))
            return false;

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (FindJsonException(bad) is { } json)
        {
            var field = JsonPathToField(json.Path);
            errors[field] = [$"The value is not valid JSON for this field{(json.LineNumber is { } line ? $" (line {line + 1}, position {json.BytePositionInLine + 1})" : "")}."];
        }
        else
        {
            errors["body"] = [bad.Message];
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        var problem = new ValidationProblemDetails(errors)
        {
            Status = bad.StatusCode,
            Title = "The request body is not valid.",
            Detail = FindJsonException(bad) is null ? bad.Message : "The JSON could not be read; see errors for the field.",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        };
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
                return json;
        }
        return null;
    }

    /// <summary><c>$.ecosystemTypes[1]</c> → <c>ecosystemTypes[1]</c>; the root → <c>body</c>.</summary>
    internal static string JsonPathToField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
            return "body";
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }
}

/// <summary>Any other exception on <c>/api</c>: a 500 ProblemDetails; the exception text only in Development.</summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, IHostEnvironment environment, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!ProblemDetailsExtensions.IsApi(httpContext))
            return false;
        logger.LogError(exception, "Unhandled exception on {Method} {Path}", httpContext.Request.Method, ProblemDetailsExtensions.OriginalPath(httpContext));
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
                Detail = environment.IsDevelopment() ? exception.ToString() : "The error has been logged with the trace id below.",
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.1",
            },
        });
    }
}
