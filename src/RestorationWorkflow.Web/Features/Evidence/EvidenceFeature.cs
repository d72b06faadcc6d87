using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Forms;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Evidence;

public static class EvidenceFeature
{
    /// <summary>Evidence files: the settings, the storage and the upload service (sites are looked up through the sites feature's <see cref="ISiteLookup"/>).</summary>
    public static IHostApplicationBuilder AddEvidence(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<EvidenceOptions>().Bind(builder.Configuration.GetSection(EvidenceOptions.Section))
            .Validate(o => o.MaxFileMegabytes is > 0 and <= 2048, "Evidence:MaxFileMegabytes must be between 1 and 2048.")
            .ValidateOnStart();
        // The upload page reads its form through MVC: its body and multipart limits follow the file limit, so that a file
        // somewhat too large gets the page's message next to the field rather than the server's bare 413.
        var maxRequest = new EvidenceOptions { MaxFileMegabytes = builder.Configuration.GetValue<int?>($"{EvidenceOptions.Section}:MaxFileMegabytes") ?? 25 }.MaxRequestBytes;
        services.Configure<RazorPagesOptions>(o => o.Conventions.AddPageApplicationModelConvention("/Evidence/Index", page =>
        {
            page.Filters.Add(new RequestSizeLimitAttribute(maxRequest));
            page.Filters.Add(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = maxRequest });
        }));
        // Its time goes to the client's network: it does not wait for a turn (decision 0059).
        services.ExemptPageFromRequestLimit("/Evidence/Index");
        services.AddSingleton<EvidenceStorage>();
        services.AddScoped<EvidenceService>();
        // The files of a step, for the step forms' API and page (their seam; last registration wins over their default).
        services.AddScoped<IStepEvidenceReader, StepEvidenceReader>();
        return builder;
    }

    /// <summary>A step's evidence files as the evidence API lists them.</summary>
    private sealed class StepEvidenceReader(AppDbContext db) : IStepEvidenceReader
    {
        public async Task<IReadOnlyList<object>> ForStepAsync(Guid projectId, string code, CancellationToken ct)
        {
            var files = await EvidenceService.ListAsync(db, projectId, code, null, ct);
            var names = await ProjectQueries.UserNamesAsync(db, files.Select(f => f.UploadedById), ct);
            return [.. files.Select(f => (object)EvidenceEndpoints.ToDto(f, names))];
        }
    }
}
