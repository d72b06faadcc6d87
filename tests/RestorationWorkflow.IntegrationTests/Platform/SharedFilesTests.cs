using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Evidence;
using RestorationWorkflow.Web.Features.Reminders.Delivery;
using RestorationWorkflow.Web.Features.Reports;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Platform;

/// <summary>
/// Files on a volume several nodes share (decision 0042): evidence, reports and pickup e-mail are written to a hidden
/// temp file in the final folder and renamed, so whoever looks at the folder while a file is being written sees no file
/// under a final name; a report file a dead node left under the report's name does not stop the re-render; temp files a
/// crash left are deleted at start-up once stale, never while another node may still be writing them.
/// </summary>
public sealed class SharedFilesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rw-shared-files", Guid.NewGuid().ToString("N"));

    public SharedFilesTests() => Directory.CreateDirectory(_root);

    private IOptions<StorageOptions> Storage => Options.Create(new StorageOptions { Root = _root });

    [Fact]
    public async Task Evidence_WhileTheUploadStreams_NoFinalFileExists_AndTheTempFileIsHiddenInTheFinalFolder()
    {
        var storage = new EvidenceStorage(Storage, TimeProvider.System, NullLogger<EvidenceStorage>.Instance);
        var seen = new List<string>();
        await using var upload = new WatchingStream(new byte[300_000], () => seen.AddRange(FilesUnder(_root)));

        var staged = await storage.StageAsync(upload, 1_000_000, CancellationToken.None);
        Assert.NotNull(staged);
        EvidenceStorage.Place(staged);

        Assert.NotEmpty(seen);
        Assert.All(seen, f => Assert.Matches(@"^\.[0-9a-f]{32}\.tmp$", Path.GetFileName(f)));
        Assert.All(seen, f => Assert.Equal(Path.GetDirectoryName(staged.FinalPath), Path.GetDirectoryName(f)));
        Assert.Equal([staged.FinalPath], FilesUnder(_root));
        Assert.Equal(300_000, new FileInfo(staged.FinalPath).Length);
    }

    [Fact]
    public async Task Report_WhileItRenders_NoFinalFileExists_AndTheTempFileIsHiddenInTheFinalFolder()
    {
        var storage = new ReportStorage(Storage, NullLogger<ReportStorage>.Instance);
        var seen = new List<string>();

        var stored = await storage.WriteAsync(Guid.NewGuid(), DateTimeOffset.UtcNow, async output =>
        {
            await output.WriteAsync(Encoding.ASCII.GetBytes("%PDF-1.7\n"));
            seen.AddRange(FilesUnder(_root));
            await output.WriteAsync(new byte[100_000]);
            seen.AddRange(FilesUnder(_root));
            return 1;
        }, CancellationToken.None);

        var final = storage.PathOf(stored.StorageName)!;
        Assert.Equal(2, seen.Count);
        Assert.All(seen, f => Assert.Matches(@"^\.[0-9a-f]{32}\.[0-9a-f]{32}\.tmp$", Path.GetFileName(f)));
        Assert.All(seen, f => Assert.Equal(Path.GetDirectoryName(final), Path.GetDirectoryName(f)));
        Assert.Equal([final], FilesUnder(_root));
        Assert.Equal(100_009, stored.Size);
    }

    [Fact]
    public async Task Report_AFileLeftUnderItsNameByADeadNode_IsKept_AndTheReRenderTakesTheNextName()
    {
        var storage = new ReportStorage(Storage, NullLogger<ReportStorage>.Instance);
        var id = Guid.NewGuid();
        var requestedAt = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
        // The dead node's render: renamed into place, its row never marked done.
        var left = await storage.WriteAsync(id, requestedAt, async o => { await o.WriteAsync("%PDF-1.7 first"u8.ToArray()); return 1; }, CancellationToken.None);

        var again = await storage.WriteAsync(id, requestedAt, async o => { await o.WriteAsync("%PDF-1.7 second render"u8.ToArray()); return 1; }, CancellationToken.None);

        Assert.Equal($"reports/2026/11/{id:N}.pdf", left.StorageName);
        Assert.Equal($"reports/2026/11/{id:N}.2.pdf", again.StorageName);
        Assert.Equal("%PDF-1.7 first", await File.ReadAllTextAsync(storage.PathOf(left.StorageName)!));
        Assert.Equal("%PDF-1.7 second render", await File.ReadAllTextAsync(storage.PathOf(again.StorageName)!));
        Assert.Equal(ReportStorage.Sha256Of("%PDF-1.7 second render"u8.ToArray()), again.Sha256);
        Assert.DoesNotContain(FilesUnder(_root), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PickupMail_WhileTheMessageIsWritten_NoEmlExists_AndTheTempFileIsHiddenInTheFolder()
    {
        var folder = Path.Combine(_root, "mail", "pickup");
        var transport = new PickupFolderMailTransport(folder, TimeProvider.System);
        var seen = new List<string>();
        var message = new MimeMessage(
            [new MailboxAddress("From", "from@example.org")], [new MailboxAddress("To", "to@example.org")], "Reminder",
            new MimePart("application", "octet-stream")
            {
                Content = new MimeContent(new WatchingStream(new byte[200_000], () => seen.AddRange(FilesUnder(_root)))),
                ContentTransferEncoding = ContentEncoding.Base64,
            });

        await transport.SendAsync(message, CancellationToken.None);

        Assert.NotEmpty(seen);
        Assert.All(seen, f => Assert.Matches(@"^\.\d{8}T\d{9}-[0-9a-f]{32}\.tmp$", Path.GetFileName(f)));
        Assert.All(seen, f => Assert.Equal(folder, Path.GetDirectoryName(f)));
        var eml = Assert.Single(FilesUnder(_root));
        Assert.EndsWith(".eml", eml, StringComparison.Ordinal);
        Assert.Equal("Reminder", (await MimeMessage.LoadAsync(eml)).Subject);
    }

    [Fact]
    public async Task AtStartUp_TempFilesLeftByACrash_AreDeletedOnceStale_AndNothingElse()
    {
        await using var app = new AppFactory();
        var evidence = Path.Combine(app.StorageRoot, "evidence", "2026", "11");
        var reports = Path.Combine(app.StorageRoot, "reports", "2026", "11");
        var pickup = Path.Combine(app.StorageRoot, "mail", "pickup");
        var staleEvidence = Touch(Path.Combine(evidence, $".{Guid.NewGuid():N}.tmp"), TimeSpan.FromDays(2));
        var staleReport = Touch(Path.Combine(reports, $".{Guid.NewGuid():N}.{Guid.NewGuid():N}.tmp"), TimeSpan.FromDays(3));
        var staleMail = Touch(Path.Combine(pickup, ".20261120T000000000-x.tmp"), TimeSpan.FromDays(6));
        // Another node may be writing this one now.
        var inProgress = Touch(Path.Combine(evidence, $".{Guid.NewGuid():N}.tmp"), TimeSpan.FromHours(1));
        // Placed files are never touched, however old.
        var placed = Touch(Path.Combine(evidence, $"{Guid.NewGuid():N}.bin"), TimeSpan.FromDays(400));
        var mail = Touch(Path.Combine(pickup, "20250101T000000000-y.eml"), TimeSpan.FromDays(400));

        // Starting the host starts the sweep, in the background: start-up does not wait for it.
        var sweep = app.Services.GetServices<IHostedService>().OfType<StaleTempFiles>().Single();
        Assert.Equal(3, await sweep.Swept.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.False(File.Exists(staleEvidence));
        Assert.False(File.Exists(staleReport));
        Assert.False(File.Exists(staleMail));
        Assert.True(File.Exists(inProgress));
        Assert.True(File.Exists(placed));
        Assert.True(File.Exists(mail));
    }

    private static string Touch(string path, TimeSpan age)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "x");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    private static List<string> FilesUnder(string root) => [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>A stream of <paramref name="bytes"/> that calls <paramref name="onRead"/> before each read after the first.</summary>
    private sealed class WatchingStream(byte[] bytes, Action onRead) : MemoryStream(bytes)
    {
        private bool _started;

        public override int Read(byte[] buffer, int offset, int count)
        {
            Watch();
            return base.Read(buffer, offset, count);
        }

        public override int Read(Span<byte> buffer)
        {
            Watch();
            return base.Read(buffer);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Watch();
            return base.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Watch();
            return base.ReadAsync(buffer, offset, count, cancellationToken);
        }

        private void Watch()
        {
            // The first read comes before anything is written; from the second on, the writer has a file open.
            if (_started && Position < Length)
                onRead();
            _started = true;
        }
    }

    public void Dispose()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
                File.SetAttributes(file, FileAttributes.Normal);
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
