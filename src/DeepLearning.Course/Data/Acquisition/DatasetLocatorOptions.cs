namespace DeepLearning.Course.Data;

/// <summary>Where <see cref="DatasetLocator"/> looks, and whether and how it downloads.</summary>
/// <remarks>
/// Introduced in chapter 01 (basics). <see cref="FromEnvironment"/> gives the defaults every chapter uses;
/// tests build their own to point at a temporary cache and a local HTTP server.
/// </remarks>
public sealed record DatasetLocatorOptions
{
    /// <summary>Cache root (one folder per dataset).</summary>
    public required string CacheRoot { get; init; }

    /// <summary>Whether the per-dataset environment variable (e.g. <c>DLCOURSE_FASHION_MNIST</c>) is consulted.</summary>
    public bool UseEnvironmentVariable { get; init; } = true;

    /// <summary>The repository's <c>datasets/</c> folder, if any.</summary>
    public string? RepositoryDatasets { get; init; }

    /// <summary>Whether operating-system package locations are searched.</summary>
    public bool UseSystemDirectories { get; init; } = true;

    /// <summary>Extra folders holding <c>&lt;dataset-name&gt;/</c> folders (from <c>DLCOURSE_DATA_DIRS</c>).</summary>
    public IReadOnlyList<string> ExtraDirectories { get; init; } = [];

    /// <summary>Mirror base URL tried before the official URLs.</summary>
    public string? Mirror { get; init; }

    /// <summary>Whether downloading is allowed.</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>The HTTP client to use; a shared default when <see langword="null"/>.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>A download that receives no bytes for this long is abandoned (and its partial file deleted).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Receives download progress; <see langword="null"/> writes a throttled text bar to the console.</summary>
    public Action<DownloadProgress>? Progress { get; init; }

    /// <summary>The defaults, read from the environment now (see <see cref="DatasetPaths"/>).</summary>
    /// <returns>The options.</returns>
    public static DatasetLocatorOptions FromEnvironment() => new()
    {
        CacheRoot = DatasetPaths.CacheRoot,
        RepositoryDatasets = DatasetPaths.RepositoryDatasets,
        ExtraDirectories = DatasetPaths.ExtraDataDirectories,
        Mirror = DatasetPaths.Mirror,
        AllowDownload = !DatasetPaths.Offline,
    };
}
