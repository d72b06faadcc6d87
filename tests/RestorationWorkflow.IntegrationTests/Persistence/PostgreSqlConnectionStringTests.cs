using Microsoft.Extensions.Configuration;
using Npgsql;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.IntegrationTests.Persistence;

/// <summary>
/// The nodes' PostgreSQL connection string (decision 0048): Npgsql prepares repeated statements unless the operator's
/// connection string says otherwise. No server needed: the string is what the app hands to Npgsql.
/// </summary>
public sealed class PostgreSqlConnectionStringTests
{
    [Fact]
    public void Without_Max_Auto_Prepare_the_app_turns_automatic_preparation_on()
    {
        var builder = Built("Host=db;Database=rw;Username=app;Password=secret");

        Assert.Equal(PersistenceExtensions.DefaultMaxAutoPrepare, builder.MaxAutoPrepare);
        Assert.True(builder.MaxAutoPrepare > 0);
        Assert.Equal("db", builder.Host);
    }

    [Theory]
    [InlineData("Max Auto Prepare=0", 0)]
    [InlineData("Max Auto Prepare=10", 10)]
    [InlineData("max auto prepare=3", 3)]
    public void The_operators_Max_Auto_Prepare_is_kept_including_zero(string setting, int expected)
    {
        var builder = Built($"Host=db;Database=rw;{setting}");

        Assert.Equal(expected, builder.MaxAutoPrepare);
    }

    [Fact]
    public void A_string_that_is_not_a_connection_string_stops_start_up_naming_it()
    {
        var error = Assert.Throws<RestorationWorkflow.Web.Infrastructure.StartupException>(() => Built("Host=db;Nonsense Keyword=1"));

        Assert.Contains("ConnectionStrings:PostgreSql", error.Message, StringComparison.Ordinal);
    }

    private static NpgsqlConnectionStringBuilder Built(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:PostgreSql"] = connectionString })
            .Build();
        return new NpgsqlConnectionStringBuilder(PersistenceExtensions.PostgreSqlConnectionString(configuration));
    }
}
