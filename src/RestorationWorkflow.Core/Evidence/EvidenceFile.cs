namespace RestorationWorkflow.Evidence;

/// <summary>
/// One stored evidence file attached to a STAPER code (A1…D3) or to a site of a project. Never changed or
/// overwritten: a new upload with the same target and file name is a new row with the next <see cref="Version"/>.
/// The bytes live under <c>Storage:Root</c> at <see cref="StorageName"/>; the user's file name is metadata only.
/// </summary>
public sealed class EvidenceFile
{
    private EvidenceFile()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    /// <summary>The STAPER code the file documents, or null when it is attached to a site.</summary>
    public string? Code { get; private set; }

    /// <summary>The site the file documents, or null when it is attached to a code.</summary>
    public Guid? SiteId { get; private set; }

    /// <summary><c>code:A1</c> or <c>site:&lt;guid&gt;</c>: never null, so the unique version index holds on every provider.</summary>
    public string TargetKey { get; private set; } = "";

    /// <summary>The uploader's file name, cleaned by <see cref="EvidenceFileNames.Clean"/>.</summary>
    public string FileName { get; private set; } = "";

    /// <summary>Decided by the content (<see cref="EvidenceSniffer"/>), never by the name or the client.</summary>
    public string MediaType { get; private set; } = "";

    /// <summary>The kind's canonical extension with its dot (<c>.pdf</c>), used for the download name.</summary>
    public string Extension { get; private set; } = "";

    public long Size { get; private set; }

    /// <summary>SHA-256 of the bytes, lower-case hex.</summary>
    public string Sha256 { get; private set; } = "";

    /// <summary>Path below <c>Storage:Root</c> with forward slashes, e.g. <c>evidence/2026/11/&lt;id&gt;.bin</c>.</summary>
    public string StorageName { get; private set; } = "";

    /// <summary>1 for the first upload of this file name to this target, then 2, 3…</summary>
    public int Version { get; private set; }

    public string UploadedById { get; private set; } = "";

    public DateTimeOffset UploadedAt { get; private set; }

    public static string CodeTarget(string code) => "code:" + code;

    public static string SiteTarget(Guid siteId) => "site:" + siteId.ToString("D");

    public static EvidenceFile Create(
        Guid id, Guid projectId, string? code, Guid? siteId, string fileName, EvidenceKind kind, long size, string sha256,
        string storageName, int version, string uploadedById, DateTimeOffset uploadedAt)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if ((code is null) == (siteId is null))
            throw new ArgumentException("An evidence file documents either a code or a site.", nameof(code));
        return new EvidenceFile
        {
            Id = id,
            ProjectId = projectId,
            Code = code,
            SiteId = siteId,
            TargetKey = code is not null ? CodeTarget(code) : SiteTarget(siteId!.Value),
            FileName = fileName,
            MediaType = kind.MediaType,
            Extension = kind.Extension,
            Size = size,
            Sha256 = sha256,
            StorageName = storageName,
            Version = version,
            UploadedById = uploadedById,
            UploadedAt = uploadedAt,
        };
    }

    /// <summary>The name offered on download: the stored name with the extension of the detected kind.</summary>
    public string DownloadName => EvidenceFileNames.WithExtension(FileName, Extension);
}
