using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>Arranging approvers and approval delegations through the API.</summary>
public static class DelegationsApi
{
    public const string Url = "/api/approvals/delegations";

    /// <summary>Today as the app counts it: a UTC calendar date.</summary>
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A new user with <paramref name="roles"/> (default: Approver), made by the demo administrator; its id and e-mail.</summary>
    public static async Task<(string Id, string Email)> CreateUserAsync(this AppFactory factory, string name, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var email = $"{name.ToLowerInvariant().Replace(' ', '.')}.{Guid.NewGuid():N}@example.org";
        var created = await (await admin.PostAsJsonAsync("/api/admin/users", new
        {
            email, displayName = name, password = AppFactory.DemoPassword, roles = roles.Length == 0 ? new[] { "Approver" } : roles,
        })).ExpectAsync(HttpStatusCode.Created);
        return (created.Str("id"), email);
    }

    public static object Request(string? delegateEmail, DateOnly startsOn, DateOnly endsOn, string? delegatorId = null, string? delegateId = null) =>
        new { delegateEmail, delegateId, startsOn = Day(startsOn), endsOn = Day(endsOn), delegatorId };

    public static async Task<JsonElement> DelegateAsync(this HttpClient client, string delegateEmail, DateOnly startsOn, DateOnly endsOn, string? delegatorId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.PostAsJsonAsync(Url, Request(delegateEmail, startsOn, endsOn, delegatorId))).ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>The ids of the delegations a caller lists.</summary>
    public static async Task<IReadOnlyList<string>> ListDelegationIdsAsync(this HttpClient client, string query = "")
    {
        ArgumentNullException.ThrowIfNull(client);
        var list = await (await client.GetAsync(Url + query)).ExpectAsync(HttpStatusCode.OK);
        return [.. list.GetProperty("items").EnumerateArray().Select(e => e.Str("id"))];
    }
}
