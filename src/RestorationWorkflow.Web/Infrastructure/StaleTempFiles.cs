using Microsoft.Extensions.Options;

namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// At start-up, deletes the temp files (<c>*.tmp</c>) a crashed write left under <c>Storage:Root</c>'s <c>evidence/</c>,
/// <c>reports/</c> and <c>mail/pickup/</c> (decision 0042). Only those untouched for <see cref="MinimumAge"/>: on a shared
/// volume a younger one may be another node's write in progress. Nothing reads temp files, so one left is only space.
/// The sweep walks every folder of evidence and reports, which on a large shared volume takes a while: it runs in the
/// background, and start-up does not wait for it (<see cref="Swept"/> completes when it is done).
/// </summary>
public sealed class StaleTempFiles(IOptions<StorageOptions> storage, TimeProvider time, ILogger<StaleTempFiles> logger) : IHostedService
{
    /// <summary>The folders below <c>Storage:Root</c> whose files are written as temp file + rename.</summary>
    public static readonly string[] Folders = ["evidence", "reports", Path.Combine("mail", "pickup")];

    /// <summary>How long a temp file must be untouched before it counts as left by a crash (a write in progress touches it).</summary>
    public static readonly TimeSpan MinimumAge = TimeSpan.FromDays(1);

    /// <summary>The start-up sweep: completes with the number of files deleted (0 when the walk failed, which is logged).</summary>
    public Task<int> Swept { get; private set; } = Task.FromResult(0);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Swept = Task.Run(() =>
        {
            try
            {
                return Sweep();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "The sweep of stale temp files under {Root} stopped.", storage.Value.Root);
                return 0;
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deletes the stale temp files; answers how many.</summary>
    public int Sweep()
    {
        var before = (time.GetUtcNow() - MinimumAge).UtcDateTime;
        var deleted = 0;
        foreach (var folder in Folders.Select(f => Path.Combine(storage.Value.Root, f)).Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.tmp", SearchOption.AllDirectories))
            {
                try
                {
                    if (File.GetLastWriteTimeUtc(file) >= before)
                        continue;
                    File.Delete(file);
                    deleted++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Another node deleted it first, or it cannot be deleted: harmless either way.
                    logger.LogWarning(ex, "Could not delete the stale temp file {Path}.", file);
                }
            }
        }
        if (deleted > 0)
            logger.LogInformation("Deleted {Count} temp files older than {Age} left by interrupted writes under {Root}.", deleted, MinimumAge, storage.Value.Root);
        return deleted;
    }
}
