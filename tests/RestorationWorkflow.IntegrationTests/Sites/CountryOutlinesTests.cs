using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Sites;

namespace RestorationWorkflow.IntegrationTests.Sites;

/// <summary>
/// The country outlines as the app reads them (a <see cref="Utf8JsonReader"/> over the vendored file) against the same
/// file read here as a whole document: every feature with a known numeric id gives its country, whatever the order of
/// its properties, and every part of a country split across features or polygons is kept.
/// </summary>
public sealed class CountryOutlinesTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public void EveryCountryOfTheFile_IsKnown_AndNoOther()
    {
        var outlines = factory.Services.GetRequiredService<CountryOutlines>();
        var files = factory.Services.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;
        Dictionary<string, string> alpha2ByNumeric;
        using (var stream = files.GetFileInfo(CountryOutlines.CodesPath).CreateReadStream())
            alpha2ByNumeric = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!;
        HashSet<string> inFile;
        using (var stream = files.GetFileInfo(CountryOutlines.OutlinesPath).CreateReadStream())
        using (var document = JsonDocument.Parse(stream))
            inFile = document.RootElement.GetProperty("features").EnumerateArray()
                .Where(f => f.TryGetProperty("geometry", out var g) && g.ValueKind == JsonValueKind.Object
                    && f.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                .Select(f => f.GetProperty("id").GetString()!)
                .Where(alpha2ByNumeric.ContainsKey)
                .Select(id => alpha2ByNumeric[id])
                .ToHashSet(StringComparer.Ordinal);

        Assert.True(inFile.Count > 200, $"only {inFile.Count} countries in the file");
        Assert.All(inFile, code => Assert.True(outlines.Knows(code), $"{code} is in the file but not known"));
        var absent = alpha2ByNumeric.Values.Distinct().Where(code => !inFile.Contains(code)).ToList();
        Assert.NotEmpty(absent);
        Assert.All(absent, code => Assert.False(outlines.Knows(code), $"{code} has no outline in the file but is known"));
    }

    [Fact]
    public void APointInEachPartOfACountryOfSeveralFeatures_IsInside_AndTheSeaIsNot()
    {
        var outlines = factory.Services.GetRequiredService<CountryOutlines>();
        var geometry = new GeometryFactory(new PrecisionModel(), 4326);
        static Polygon Square(GeometryFactory f, double x, double y) => f.CreatePolygon(
        [
            new(x, y), new(x + 0.005, y), new(x + 0.005, y + 0.005), new(x, y + 0.005), new(x, y),
        ]);

        // Check answers null for a country it does not know, so both must be known for the nulls below to mean "inside".
        Assert.True(outlines.Knows("KE"));
        Assert.True(outlines.Knows("FJ"));
        // Kenya inland (Nairobi); Fiji: Viti Levu, and Taveuni on both sides of 180° (the outline is split there).
        Assert.Null(outlines.Check("KE", Square(geometry, 36.80, -1.30)));
        Assert.Null(outlines.Check("FJ", Square(geometry, 177.95, -17.80)));
        Assert.Null(outlines.Check("FJ", Square(geometry, 179.985, -16.87)));
        Assert.Null(outlines.Check("FJ", Square(geometry, -179.99, -16.87)));
        // The Indian Ocean off Mombasa is outside Kenya.
        Assert.NotNull(outlines.Check("KE", Square(geometry, 41.50, -5.50)));
    }
}
