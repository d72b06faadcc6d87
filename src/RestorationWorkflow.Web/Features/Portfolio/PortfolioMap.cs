using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Web.Features.Portfolio;

/// <summary>
/// The dashboard map's data: every site of the projects in view as a point (the centre of its boundary's bounding box)
/// with its project, ecosystem type and computed hectares, as a GeoJSON FeatureCollection. Points, not boundaries: at a
/// portfolio's zoom a site of a few hundred hectares is a dot, and ten thousand projects' boundaries would be megabytes
/// of text; the project page draws the boundaries. The boundary text is read with a forward-only reader, never parsed
/// into objects.
/// </summary>
public sealed class PortfolioMap(AppDbContext db)
{
    public async Task WriteAsync(Stream output, IQueryable<Project> projects, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(projects);
        var rows = (from s in db.Sites.AsNoTracking()
                    join p in projects on s.ProjectId equals p.Id
                    select new { s.ProjectId, p.Code, s.EcosystemType, s.ComputedHectares, s.Boundary }).AsAsyncEnumerable();
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        json.WriteStartArray("features");
        var written = 0;
        await foreach (var site in rows.WithCancellation(ct))
        {
            if (Centre(site.Boundary) is not { } centre)
                continue;
            json.WriteStartObject();
            json.WriteString("type", "Feature");
            json.WriteStartObject("geometry");
            json.WriteString("type", "Point");
            json.WriteStartArray("coordinates");
            json.WriteNumberValue(Math.Round(centre.Lon, 5));
            json.WriteNumberValue(Math.Round(centre.Lat, 5));
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteString("projectId", site.ProjectId);
            json.WriteString("code", site.Code);
            json.WriteString("ecosystemType", site.EcosystemType);
            json.WriteNumber("hectares", site.ComputedHectares);
            json.WriteEndObject();
            json.WriteEndObject();
            if (++written % 1000 == 0)
                await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    /// <summary>The centre of a GeoJSON geometry's bounding box (every number pair is a longitude, latitude), or null.</summary>
    public static (double Lon, double Lat)? Centre(string geometry)
    {
        if (string.IsNullOrEmpty(geometry))
            return null;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(geometry));
        double minLon = double.MaxValue, minLat = double.MaxValue, maxLon = double.MinValue, maxLat = double.MinValue;
        var index = 0;
        var inCoordinates = false;
        var coordinatesDepth = 0;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 1:
                        inCoordinates = reader.ValueTextEquals("coordinates"u8);
                        coordinatesDepth = reader.CurrentDepth;
                        break;
                    case JsonTokenType.StartArray:
                        index = 0;
                        break;
                    case JsonTokenType.Number when inCoordinates && reader.CurrentDepth > coordinatesDepth:
                        var value = reader.GetDouble();
                        if (index == 0)
                        {
                            minLon = Math.Min(minLon, value);
                            maxLon = Math.Max(maxLon, value);
                        }
                        else if (index == 1)
                        {
                            minLat = Math.Min(minLat, value);
                            maxLat = Math.Max(maxLat, value);
                        }
                        index++;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return minLon <= maxLon && minLat <= maxLat ? ((minLon + maxLon) / 2, (minLat + maxLat) / 2) : null;
    }
}
