using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Reports;

/// <summary>A report file written and placed: its name below <c>Storage:Root</c>, size, SHA-256 and pages.</summary>
public sealed record StoredReport(string StorageName, long Size, string Sha256, int PageCount);

/// <summary>
/// The report files under <c>Storage:Root</c>/<c>reports/&lt;yyyy&gt;/&lt;mm&gt;/&lt;report id&gt;.pdf</c>: rendered into a
/// temp file in the same folder, flushed to disk (fsync), hashed, renamed into place (never over an existing file; a file a
/// dead node left under the name makes it <c>&lt;report id&gt;.2.pdf</c>) and made read-only. Nothing rewrites them; a
/// failed render leaves nothing behind (decision 0042).
/// </summary>
public sealed class ReportStorage(IOptions<StorageOptions> storage, ILogger<ReportStorage> logger)
{
    public const string Folder = "reports";

    private string Root => storage.Value.Root;

    /// <summary>Writes the file of <paramref name="reportId"/> with <paramref name="render"/> (which answers the page count).</summary>
    public async Task<StoredReport> WriteAsync(Guid reportId, DateTimeOffset requestedAt, Func<Stream, Task<int>> render, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(render);
        var year = requestedAt.UtcDateTime.ToString("yyyy", CultureInfo.InvariantCulture);
        var month = requestedAt.UtcDateTime.ToString("MM", CultureInfo.InvariantCulture);
        var folder = Path.Combine(Root, Folder, year, month);
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{reportId:N}.{Guid.NewGuid():N}.tmp");
        try
        {
            int pages;
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                pages = await render(target);
                await target.FlushAsync(ct);
                target.Flush(flushToDisk: true);
            }
            var (size, sha256) = await HashAsync(temp, ct);
            // A render whose node died after the rename but before the row was marked done left a file under the report's
            // name; its row was claimed again, so this render takes the next free name rather than fail or overwrite.
            var name = $"{reportId:N}.pdf";
            for (var attempt = 2; !TryPlace(temp, Path.Combine(folder, name)); attempt++)
                name = string.Create(CultureInfo.InvariantCulture, $"{reportId:N}.{attempt}.pdf");
            File.SetAttributes(Path.Combine(folder, name), FileAttributes.ReadOnly);
            return new StoredReport($"{Folder}/{year}/{month}/{name}", size, sha256, pages);
        }
        catch
        {
            Delete(temp);
            throw;
        }
    }

    /// <summary>The stored bytes of a report, or null when the file is missing.</summary>
    public async Task<byte[]?> ReadAsync(string storageName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(storageName);
        var path = PathOf(storageName);
        if (path is null || !File.Exists(path))
            return null;
        return await File.ReadAllBytesAsync(path, ct);
    }

    /// <summary>The absolute path of a stored name, or null when it would leave <c>Storage:Root</c>.</summary>
    public string? PathOf(string storageName)
    {
        ArgumentNullException.ThrowIfNull(storageName);
        var root = Path.GetFullPath(Root);
        var path = Path.GetFullPath(Path.Combine(root, storageName));
        return path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : null;
    }

    public static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<(long Size, string Sha256)> HashAsync(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(stream, ct);
        return (stream.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>Renames <paramref name="temp"/> to <paramref name="final"/>; false when a file has that name already.</summary>
    private static bool TryPlace(string temp, string final)
    {
        try
        {
            File.Move(temp, final, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(final) && File.Exists(temp))
        {
            return false;
        }
    }

    private void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "Could not delete {Path}.", path);
        }
    }
}
