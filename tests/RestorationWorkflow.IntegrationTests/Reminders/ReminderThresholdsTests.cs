using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Reminders.Due;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>An app whose reminders come 30 and 7 days before, escalating after 10 days.</summary>
public sealed class ThirtyDayRemindersAppFactory : AppFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Reminders:BeforeDueDays:0"] = "30",
        ["Reminders:BeforeDueDays:1"] = "7",
        ["Reminders:EscalationDays"] = "10",
    };
}

/// <summary>
/// <c>IOptions&lt;ReminderThresholds&gt;</c> from the <c>Reminders</c> section: a configured list replaces the default
/// (the binder would append to it), the schedule shows its stages, and a bad value is a start-up error naming the setting.
/// </summary>
public sealed class ReminderThresholdsTests(ThirtyDayRemindersAppFactory factory) : IClassFixture<ThirtyDayRemindersAppFactory>
{
    [Fact]
    public async Task TheConfiguredThresholds_ReplaceTheDefaults_AndTheScheduleShowsThem()
    {
        var thresholds = factory.Services.GetRequiredService<IOptions<ReminderThresholds>>().Value;
        Assert.Equal([30, 7], thresholds.BeforeDueDays);
        Assert.Equal(10, thresholds.EscalationDays);
        Assert.Equal(30, thresholds.DigestOverdueDays);

        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await pm.AddTargetAsync(id, TargetsApi.Environmental(1));
        var schedule = await (await pm.GetAsync($"/api/projects/{id}/schedule")).ExpectAsync(HttpStatusCode.OK);
        var deadline = schedule.GetProperty("items").EnumerateArray().Single(i => i.Str("kind") == "targetDeadline");
        Assert.Equal(
            [("before30", "2031-05-31"), ("before7", "2031-06-23"), ("due", "2031-06-30"), ("overdue", "2031-07-01"), ("escalation", "2031-07-10")],
            deadline.GetProperty("upcomingReminders").EnumerateArray().Select(s => (s.Str("stage"), s.Str("from"))));
    }

    [Theory]
    [InlineData("Reminders:BeforeDueDays:1", "0", "Reminders:BeforeDueDays:1")]
    [InlineData("Reminders:EscalationDays", "soon", "Reminders:EscalationDays")]
    [InlineData("Reminders:DigestOverdueDays", "-3", "Reminders:DigestOverdueDays")]
    public void ABadValue_StopsStartUp_NamingTheSetting(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reminders:BeforeDueDays:0"] = "14",
            [key] = value,
        }).Build();
        var error = Assert.Throws<StartupException>(() => DueItemsFeature.ReadThresholds(configuration.GetSection(DueItemsFeature.Section)));
        Assert.StartsWith($"Setting {named} is '{value}'", error.Message, StringComparison.Ordinal);
    }
}
