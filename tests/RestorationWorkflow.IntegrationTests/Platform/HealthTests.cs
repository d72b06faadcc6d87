using System.Net;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Platform;

public sealed class HealthTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Live_AnswersWithoutTouchingTheDatabase()
    {
        using var client = factory.CreateClient();
        await client.GetAsync("/health/live");
        using var sql = factory.Sql.Record();

        var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        Assert.Empty(sql.Commands);
    }

    [Fact]
    public async Task Ready_ChecksTheDatabase()
    {
        using var client = factory.CreateClient();
        await client.GetAsync("/health/ready");
        using var sql = factory.Sql.Record();

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        Assert.NotEmpty(sql.Commands);
    }
}
