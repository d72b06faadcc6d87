using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Sites;

/// <summary>Arranging sites through <c>/api/projects/{id}/sites</c>.</summary>
public static class SitesApi
{
    /// <summary>A lon/lat rectangle as a GeoJSON Polygon (counter-clockwise).</summary>
    public static object Box(double west, double south, double east, double north) => new
    {
        type = "Polygon",
        coordinates = new[] { new[] { new[] { west, south }, new[] { east, south }, new[] { east, north }, new[] { west, north }, new[] { west, south } } },
    };

    /// <summary>A site near Nairobi (the test projects are in Kenya) of about 1,230 ha per 0.1°×0.1°.</summary>
    public static object Request(object boundary, int expectedVersion, string name = "Riparian strip", decimal declaredHectares = 1230m,
        string ecosystemType = "wetland", string tenure = "communalCustomary") =>
        new { name, ecosystemType, tenure, declaredHectares, boundary, expectedVersion };

    public static Task<HttpResponseMessage> PostSiteAsync(this HttpClient client, Guid projectId, object request) =>
        client.PostAsJsonAsync($"/api/projects/{projectId}/sites", request);

    /// <summary>Adds a site that must be accepted; returns the created site.</summary>
    public static async Task<JsonElement> AddSiteAsync(this HttpClient client, Guid projectId, object boundary, int expectedVersion, string name = "Riparian strip", decimal declaredHectares = 1230m)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.PostSiteAsync(projectId, Request(boundary, expectedVersion, name, declaredHectares))).ExpectAsync(HttpStatusCode.Created);
    }

    public static decimal Dec(this JsonElement element, string property) => element.GetProperty(property).GetDecimal();

    public static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
