using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Evidence;

/// <summary>A file received into a temp file beside its final place, hashed and counted on the way.</summary>
public sealed class StagedFile(string tempPath, string finalPath, string storageName, long size, string sha256)
{
    public string TempPath { get; } = tempPath;

    public string FinalPath { get; } = finalPath;

    /// <summary>The path below <c>Storage:Root</c> that the row records (forward slashes).</summary>
    public string StorageName { get; } = storageName;

    public long Size { get; } = size;

    public string Sha256 { get; } = sha256;

    /// <summary>Whether <see cref="EvidenceStorage.Place"/> moved it to <see cref="FinalPath"/>.</summary>
    public bool Placed { get; internal set; }
}

/// <summary>
/// The evidence files under <c>Storage:Root</c>/<c>evidence/&lt;yyyy&gt;/&lt;mm&gt;/&lt;generated&gt;.bin</c>: received
/// into a temp file in the same folder while hashed (SHA-256) and counted against the limit, flushed to disk
/// (fsync), then renamed into place. Nothing is ever overwritten; a discarded file leaves nothing behind.
/// </summary>
public sealed class EvidenceStorage(IOptions<StorageOptions> storage, TimeProvider time, ILogger<EvidenceStorage> logger)
{
    public const string Folder = "evidence";

    private string Root => storage.Value.Root;

    /// <summary>Receives <paramref name="source"/>; null when it holds more than <paramref name="maxBytes"/> (nothing is left behind).</summary>
    public async Task<StagedFile?> StageAsync(Stream source, long maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var relativeFolder = $"{Folder}/{now:yyyy}/{now:MM}";
        var folder = Path.Combine(Root, Folder, now.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture), now.ToString("MM", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{id:N}.tmp");
        var final = Path.Combine(folder, $"{id:N}.bin");
        try
        {
            long total = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        await target.DisposeAsync();
                        Delete(temp);
                        return null;
                    }
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                await target.FlushAsync(ct);
                target.Flush(flushToDisk: true);
            }
            return new StagedFile(temp, final, $"{relativeFolder}/{id:N}.bin", total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            Delete(temp);
            throw;
        }
    }

    /// <summary>Opens the staged bytes for sniffing.</summary>
    public static FileStream OpenStaged(StagedFile staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        return new FileStream(staged.Placed ? staged.FinalPath : staged.TempPath, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    /// <summary>Renames the temp file to its generated name (never over an existing file).</summary>
    public static void Place(StagedFile staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        File.Move(staged.TempPath, staged.FinalPath, overwrite: false);
        staged.Placed = true;
    }

    /// <summary>Deletes the temp file and the placed file, whichever exists.</summary>
    public void Discard(StagedFile? staged)
    {
        if (staged is null)
            return;
        Delete(staged.TempPath);
        Delete(staged.FinalPath);
    }

    /// <summary>The stored bytes of a row, or null when the file is missing.</summary>
    public FileStream? OpenRead(string storageName)
    {
        ArgumentNullException.ThrowIfNull(storageName);
        var root = Path.GetFullPath(Root);
        var path = Path.GetFullPath(Path.Combine(root, storageName));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            logger.LogError("Evidence file {StorageName} is missing under Storage:Root.", storageName);
            return null;
        }
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
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
