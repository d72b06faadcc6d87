using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace RestorationWorkflow.Web.Features.Errors;

[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; } = 500;

    public string RequestId { get; private set; } = "";

    /// <summary>The request was turned away because too many were waiting (<see cref="Infrastructure.RequestLimitMiddleware"/>).</summary>
    public bool Busy { get; private set; }

    public void OnGet(int? code) => Set(code);

    public void OnPost(int? code) => Set(code);

    private void Set(int? code)
    {
        Code = code ?? 500;
        Busy = Code == StatusCodes.Status503ServiceUnavailable && HttpContext.Items.ContainsKey(Infrastructure.RequestLimitMiddleware.BusyItem);
        RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
    }
}
