using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.IntegrationTests.Identity;

/// <summary>
/// <see cref="UserNames"/> reads names by compiled queries of 1, 2, 4 and 8 ids, padding the last chunk: every list
/// length, with unknown ids, repeats and nulls, must name exactly the known users, as a plain query does.
/// </summary>
public sealed class UserNamesTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task EveryLength_NamesExactlyTheKnownUsers_AsAPlainQueryDoes()
    {
        await factory.ClientForAsync(DemoUsers.Pm);
        var users = await factory.QueryDbAsync(db => db.Users.AsNoTracking()
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync());
        Assert.True(users.Count >= 6, $"{users.Count} users");
        var expected = users.ToDictionary(u => u.Id, u => string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? u.Id : u.DisplayName);
        // Known and unknown ids interleaved, so that each chunk mixes both.
        var unknown = Enumerable.Range(1, 7).Select(i => $"no-such-user-{i}").ToList();
        var mixed = users.Select(u => u.Id).Zip(unknown, (known, none) => new[] { known, none }).SelectMany(p => p)
            .Concat(users.Skip(unknown.Count).Select(u => u.Id)).ToList();

        // Both orders, so that every position of every query holds a known id in some list.
        foreach (var (order, length) in new[] { mixed, Enumerable.Reverse(mixed).ToList() }.SelectMany(o => Enumerable.Range(0, o.Count + 1).Select(n => (o, n))))
        {
            var ids = order.Take(length).ToList();
            var asked = ids.Concat(ids.Take(2)).Append(null).ToList();
            var names = await factory.QueryDbAsync(db => UserNames.OfAsync(db, asked, CancellationToken.None));

            var want = ids.Where(expected.ContainsKey).Distinct().OrderBy(i => i, StringComparer.Ordinal).ToList();
            Assert.Equal(want, names.Select(n => n.Id).OrderBy(i => i, StringComparer.Ordinal).ToList());
            Assert.All(names, n => Assert.Equal(expected[n.Id], n.Shown));
        }
    }
}
