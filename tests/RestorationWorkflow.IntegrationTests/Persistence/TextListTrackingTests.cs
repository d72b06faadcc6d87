using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Persistence;

/// <summary>
/// Lists of texts kept in one column are tracked by <see cref="TextListComparer"/> in the app's own model, on the
/// database under test: every such list, and a change made in place to a loaded project's ecosystem types is seen.
/// </summary>
public sealed class TextListTrackingTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Every_list_of_texts_in_the_model_is_tracked_by_the_text_list_comparer()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var lists = db.Model.GetEntityTypes().SelectMany(t => t.GetProperties())
            .Where(p => p.IsPrimitiveCollection && p.ClrType == typeof(List<string>))
            .ToList();

        Assert.Equal(
            ["ApprovalDecision.Sections", "ConsentRecord.Scopes", "Project.EcosystemTypes"],
            lists.Select(p => $"{p.DeclaringType.ClrType.Name}.{p.Name}").Order(StringComparer.Ordinal));
        Assert.All(lists, p => Assert.IsType<TextListComparer>(p.GetValueComparer()));
    }

    [Fact]
    public async Task A_change_made_in_place_to_a_loaded_project_s_ecosystem_types_is_seen_and_none_without_one()
    {
        var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync("Ecosystem types tracked");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var project = await db.Projects.SingleAsync(p => p.Id == id);
        var types = db.Entry(project).Property(p => p.EcosystemTypes);

        db.ChangeTracker.DetectChanges();
        Assert.False(types.IsModified);
        Assert.Equal(EntityState.Unchanged, db.Entry(project).State);

        project.EcosystemTypes.Add("wetland-inland");
        db.ChangeTracker.DetectChanges();
        Assert.True(types.IsModified);
        Assert.Equal(EntityState.Modified, db.Entry(project).State);
        Assert.DoesNotContain("wetland-inland", (List<string>)types.OriginalValue!);
    }
}
