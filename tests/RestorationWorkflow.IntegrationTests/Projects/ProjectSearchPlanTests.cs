using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Projects;

namespace RestorationWorkflow.IntegrationTests.Projects;

/// <summary>
/// How SQLite runs the project list's slow cases (decision 0046): a deep page of a sort walks one index and neither
/// sorts nor reads the rows it skips; the text filter compares the columns without <c>lower()</c>; an ecosystem type is
/// found without <c>json_each</c>. Read from SQLite's own plan of the statement the list sends.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class ProjectSearchPlanTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("name", "asc", "IX_Projects_Name_Id")]
    [InlineData("name", "desc", "IX_Projects_Name_Id")]
    [InlineData("state", "asc", "IX_Projects_State_Name_Id")]
    [InlineData("country", "asc", "IX_Projects_Country_Name_Id")]
    [InlineData("updated", "desc", "IX_Projects_UpdatedAt_Id")]
    [InlineData("updated", "asc", "IX_Projects_UpdatedAt_Id")]
    public async Task A_deep_page_of_a_sort_walks_its_index_without_sorting(string sort, string order, string index)
    {
        var (sql, plan) = await PlanAsync(new ProjectSearch(Sort: sort, Order: order), offset: 4975);

        Assert.Contains(plan, step => step.Contains($"USING INDEX {index}", StringComparison.Ordinal) || step.Contains($"USING COVERING INDEX {index}", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.Contains("OFFSET", sql, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_text_filter_compares_the_columns_as_stored_and_an_ecosystem_type_is_found_in_the_stored_text()
    {
        var (text, _) = await PlanAsync(new ProjectSearch(Q: "River"), offset: 0);
        var (ecosystem, plan) = await PlanAsync(new ProjectSearch(EcosystemType: "reefs"), offset: 0);

        Assert.Contains("LIKE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("lower(", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("instr(", ecosystem, StringComparison.Ordinal);
        Assert.DoesNotContain(plan, step => step.Contains("json_each", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The page query the list runs for <paramref name="search"/>, and SQLite's plan of it.</summary>
    private async Task<(string Sql, List<string> Plan)> PlanAsync(ProjectSearch search, int offset)
    {
        await using var scope = app.Scope();
        var filters = scope.ServiceProvider.GetRequiredService<ProjectFilters>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var query = search.Sorted(await filters.ApplyAsync(search, new ClaimsPrincipal(new ClaimsIdentity()), CancellationToken.None))
            .Skip(offset).Take(25).Select(p => new { p.Id, p.Name, p.Code, p.Country, p.State, p.UpdatedAt });
        await using var command = query.CreateDbCommand();
        var sql = command.CommandText;
        return (sql, await SqlitePlans.OfAsync(db, sql));
    }
}
