using Microsoft.Extensions.Configuration;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.IntegrationTests.Persistence;

/// <summary>
/// A setting or filter that names an enum value is read by the name only (<see cref="EnumNames"/>): a number or a
/// list of names is refused, not read as whatever member their value happens to be.
/// </summary>
public sealed class EnumSettingsTests
{
    [Theory]
    [InlineData("Sqlite", DatabaseProvider.Sqlite)]
    [InlineData("postgresql", DatabaseProvider.PostgreSql)]
    [InlineData(" SQLSERVER ", DatabaseProvider.SqlServer)]
    [InlineData("", DatabaseProvider.Sqlite)]
    public void Database_Provider_is_read_by_its_name_in_any_case(string value, DatabaseProvider expected) =>
        Assert.Equal(expected, PersistenceExtensions.GetProvider(Configuration(value)));

    [Theory]
    [InlineData("1")]
    [InlineData("7")]
    [InlineData("SqlServer, PostgreSql")]
    [InlineData("Postgres")]
    public void A_Database_Provider_that_is_not_a_name_stops_start_up_naming_the_setting(string value)
    {
        var error = Assert.Throws<StartupException>(() => PersistenceExtensions.GetProvider(Configuration(value)));

        Assert.Contains("Database:Provider", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_only_where_Enum_TryParse_takes_numbers_and_lists()
    {
        Assert.True(Enum.TryParse<DatabaseProvider>("SqlServer, PostgreSql", ignoreCase: true, out _));
        Assert.False(EnumNames.TryParse<DatabaseProvider>("SqlServer, PostgreSql", out _));
        Assert.False(EnumNames.TryParse<DatabaseProvider>("2", out _));
        Assert.False(EnumNames.TryParse<DatabaseProvider>(null, out _));
        Assert.True(EnumNames.TryParse<DatabaseProvider>("sqlserver", out var named));
        Assert.Equal(DatabaseProvider.SqlServer, named);
    }

    private static IConfiguration Configuration(string provider) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = provider }).Build();
}
