using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.Web.Features.Identity;

/// <summary>A user's id, display name and e-mail address, for showing who did something.</summary>
public sealed record UserName(string Id, string? DisplayName, string? Email)
{
    /// <summary>The display name, else the e-mail address, else the id.</summary>
    public string Shown => string.IsNullOrEmpty(DisplayName) ? Email ?? Id : DisplayName;
}

/// <summary>
/// The names of a few users by id, read by compiled queries of 1, 2, 4 or 8 ids (a longer list in chunks of 8, the last
/// chunk padded by repeating an id). A list's <c>Contains</c> is a collection parameter, whose SQL EF Core writes again
/// on every execution under a lock all requests share (decision 0055); the approvals read and a project's read name
/// their people on every request.
/// </summary>
public static class UserNames
{
    private const int Chunk = 8;

    public static async Task<IReadOnlyList<UserName>> OfAsync(AppDbContext db, IEnumerable<string?> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = ids.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var names = new List<UserName>(wanted.Count);
        if (wanted.Count == 0)
            return names;
        var queries = CompiledPerModel.For<Queries>(db.Model);
        for (var start = 0; start < wanted.Count; start += Chunk)
        {
            var chunk = wanted.GetRange(start, Math.Min(Chunk, wanted.Count - start));
            string Id(int i) => chunk[Math.Min(i, chunk.Count - 1)];
            var rows = chunk.Count switch
            {
                1 => queries.One(db, Id(0)),
                2 => queries.Two(db, Id(0), Id(1)),
                <= 4 => queries.Four(db, Id(0), Id(1), Id(2), Id(3)),
                _ => queries.Eight(db, Id(0), Id(1), Id(2), Id(3), Id(4), Id(5), Id(6), Id(7)),
            };
            await foreach (var row in rows.WithCancellation(ct))
                names.Add(row);
        }
        return names;
    }

    private sealed class Queries
    {
        public Func<AppDbContext, string, IAsyncEnumerable<UserName>> One { get; } = EF.CompileAsyncQuery((AppDbContext c, string a) =>
            c.Users.AsNoTracking().Where(u => u.Id == a).Select(u => new UserName(u.Id, u.DisplayName, u.Email)));

        public Func<AppDbContext, string, string, IAsyncEnumerable<UserName>> Two { get; } = EF.CompileAsyncQuery((AppDbContext c, string a, string b) =>
            c.Users.AsNoTracking().Where(u => u.Id == a || u.Id == b).Select(u => new UserName(u.Id, u.DisplayName, u.Email)));

        public Func<AppDbContext, string, string, string, string, IAsyncEnumerable<UserName>> Four { get; } = EF.CompileAsyncQuery(
            (AppDbContext c, string a, string b, string d, string e) =>
                c.Users.AsNoTracking().Where(u => u.Id == a || u.Id == b || u.Id == d || u.Id == e).Select(u => new UserName(u.Id, u.DisplayName, u.Email)));

        public Func<AppDbContext, string, string, string, string, string, string, string, string, IAsyncEnumerable<UserName>> Eight { get; } = EF.CompileAsyncQuery(
            (AppDbContext c, string a, string b, string d, string e, string f, string g, string h, string i) =>
                c.Users.AsNoTracking()
                    .Where(u => u.Id == a || u.Id == b || u.Id == d || u.Id == e || u.Id == f || u.Id == g || u.Id == h || u.Id == i)
                    .Select(u => new UserName(u.Id, u.DisplayName, u.Email)));
    }
}
