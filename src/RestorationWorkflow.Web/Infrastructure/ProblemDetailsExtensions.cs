using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc;

namespace RestorationWorkflow.Web.Infrastructure;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Every error of the API is a ProblemDetails: unhandled exceptions (500, no stack trace outside
    /// Development), a full or failing storage (503, no internals in any environment), malformed JSON (400 naming
    /// the field), empty error statuses (401, 403, 404…).
    /// </summary>
    public static IHostApplicationBuilder AddProblemDetailsForEverything(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= OriginalPath(context.HttpContext).Value;
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
        });
        builder.Services.AddExceptionHandler<Persistence.StorageFaultExceptionHandler>();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        // Binding failures throw so that the handler above can name the field; otherwise minimal APIs
        // answer a bare 400 with no body.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Strict input: a member the request type does not have, a member given twice, or a number written as a
        // string ("1") is refused with a 400 naming it, rather than ignored, silently taking the last value, or
        // converted. These options also serve the Identity endpoints (/api/auth/*).
        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o =>
        {
            o.SerializerOptions.AllowTrailingCommas = false;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.AllowDuplicateProperties = false;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
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
            StatusCodeSelector = ex => ex switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                _ when Persistence.DatabaseErrors.IsStorageFault(ex) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
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
/// Turns a request that could not be bound (malformed JSON, an unknown or repeated member, a wrong type, a query
/// value that is not a number, a missing body) into a 400 ValidationProblem whose <c>errors</c> name the field,
/// e.g. <c>{"areaHectares": ["…"]}</c>. Nothing of the input is quoted longer than <see cref="TextRules.QuoteLength"/>.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // Pages (the language switcher's form) get the friendly error page instead.
        if (exception is not BadHttpRequestException bad || !ProblemDetailsExtensions.IsApi(httpContext))
            return false;

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var json = FindJsonException(bad);
        string detail;
        if (json is not null)
        {
            errors[JsonPathToField(json.Path)] = [JsonMessage(json)];
            detail = "The JSON could not be read; see errors for the field.";
        }
        else if (ParameterBindingFailed().Match(bad.Message) is { Success: true } failed)
        {
            // RequestDelegateFactory's message for a route or query value of the wrong type: the only place the
            // parameter's name is given. Anything else falls through to "body".
            errors[TextRules.Quote(failed.Groups["name"].Value)] =
                [$"'{TextRules.Quote(failed.Groups["value"].Value)}' is not a valid {TextRules.Quote(failed.Groups["type"].Value.TrimEnd('?'))}."];
            detail = "A parameter could not be read; see errors.";
        }
        else
        {
            detail = TextRules.Quote(bad.Message);
            errors["body"] = [detail];
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        var problem = new ValidationProblemDetails(errors)
        {
            Status = bad.StatusCode,
            Title = "The request is not valid.",
            Detail = detail,
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        };
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>
    /// What went wrong at the path. The serializer has no error kind: a reader error (malformed JSON) and most
    /// conversion errors are told apart by the exception they wrap; the rest by the serializer's (English, not
    /// localized) message, with a message that is true of all of them when it is not recognised.
    /// </summary>
    private static string JsonMessage(JsonException json)
    {
        var position = json.LineNumber is { } line ? $" (line {line + 1}, position {json.BytePositionInLine + 1})" : "";
        var message = json.Message;
        if (json.InnerException is JsonException)
            return $"The JSON is malformed here{position}.";
        if (json.InnerException is InvalidOperationException or FormatException or OverflowException
            || message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            return $"The value has the wrong type for this field{position}; numbers are written without quotes, text in quotes.";
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return "The request has no such member.";
        if (message.StartsWith("Duplicate propert", StringComparison.Ordinal))
            return "The member is given more than once.";
        if (message.IndexOf("missing required properties including: ", StringComparison.Ordinal) is var missing and >= 0)
            return "Required members are missing: " + message[(missing + "missing required properties including: ".Length)..];
        return $"This member cannot be read here{position}: it is unknown, given more than once, or of the wrong type.";
    }

    /// <summary>The message of <c>BadHttpRequestException</c> when a route or query value cannot be parsed.</summary>
    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]*) (?<name>[^" ]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex ParameterBindingFailed();

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
                return json;
        }
        return null;
    }

    /// <summary>
    /// <c>$.ecosystemTypes[1]</c> → <c>ecosystemTypes[1]</c>; the root → <c>body</c>. A member name chosen by the
    /// client is cut to <see cref="TextRules.QuoteLength"/> characters.
    /// </summary>
    internal static string JsonPathToField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
            return "body";
        return TextRules.Quote(path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$'));
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
