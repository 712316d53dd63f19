namespace DeepLearning.Course.Data;

/// <summary>
/// The well-known places datasets live: the user cache, the repository's <c>datasets/</c> folder and
/// the extra search folders named by <c>DLCOURSE_DATA_DIRS</c>.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public static class DatasetPaths
{
    /// <summary>Environment variable that overrides the cache root.</summary>
    public const string DataHomeVariable = "DLCOURSE_DATA_HOME";

    /// <summary>Environment variable with extra folders (path-separator separated) that hold <c>&lt;dataset-name&gt;/</c> folders.</summary>
    public const string DataDirsVariable = "DLCOURSE_DATA_DIRS";

    /// <summary>Environment variable with a mirror base URL tried before the official URLs (<c>{mirror}/{dataset}/{file}</c>).</summary>
    public const string MirrorVariable = "DLCOURSE_DATASET_MIRROR";

    /// <summary>Environment variable that, when set to <c>1</c>, forbids downloads (useful on CI: fail fast instead of reaching the network).</summary>
    public const string OfflineVariable = "DLCOURSE_OFFLINE";

    /// <summary>The file that marks the repository root.</summary>
    public const string SolutionFileName = "DeepLearningCourse.slnx";

    /// <summary>
    /// The cache root: <c>$DLCOURSE_DATA_HOME</c> if set, else <c>$XDG_CACHE_HOME/deeplearning-course/datasets</c>,
    /// else <c>~/.cache/deeplearning-course/datasets</c>.
    /// </summary>
    public static string CacheRoot =>
        ResolveCacheRoot(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>
    /// The course's cache-folder rule, with the environment passed in (testable without touching the process environment):
    /// <c>$<paramref name="overrideVariable"/></c> if set, else <c>$XDG_CACHE_HOME/deeplearning-course/<paramref name="folder"/></c>,
    /// else <c>~/.cache/deeplearning-course/<paramref name="folder"/></c>. Datasets use it with <see cref="DataHomeVariable"/>
    /// and <c>datasets</c>; <c>ModelCache</c> with <c>DLCOURSE_MODEL_HOME</c> and <c>models</c>.
    /// </summary>
    internal static string ResolveCacheRoot(Func<string, string?> env, string userHome, string overrideVariable = DataHomeVariable, string folder = "datasets")
    {
        var home = env(overrideVariable);
        if (!string.IsNullOrWhiteSpace(home)) return Path.GetFullPath(home);
        var xdg = env("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg)) return Path.Combine(Path.GetFullPath(xdg), "deeplearning-course", folder);
        return Path.Combine(userHome, ".cache", "deeplearning-course", folder);
    }

    /// <summary>
    /// The repository root: the first folder, walking up from <paramref name="start"/> (default: the
    /// working directory), that contains <c>DeepLearningCourse.slnx</c>; <see langword="null"/> when none does.
    /// </summary>
    /// <param name="start">Folder to start from.</param>
    /// <returns>The repository root, or <see langword="null"/>.</returns>
    public static string? FindRepositoryRoot(string? start = null)
    {
        var dir = new DirectoryInfo(start ?? Directory.GetCurrentDirectory());
        while (dir is not null)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, SolutionFileName))) return dir.FullName;
            dir = dir.Parent;
        }
        return null;
    }

    /// <summary>The repository's <c>datasets/</c> folder, or <see langword="null"/> outside the repository.</summary>
    public static string? RepositoryDatasets =>
        FindRepositoryRoot() is { } root ? Path.Combine(root, "datasets") : null;

    /// <summary>The folders listed in <c>DLCOURSE_DATA_DIRS</c> (relative entries are taken from the working directory).</summary>
    public static IReadOnlyList<string> ExtraDataDirectories =>
        (Environment.GetEnvironmentVariable(DataDirsVariable) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Path.GetFullPath)
            .ToArray();

    /// <summary>The mirror base URL from <c>DLCOURSE_DATASET_MIRROR</c>, or <see langword="null"/>.</summary>
    public static string? Mirror =>
        Environment.GetEnvironmentVariable(MirrorVariable) is { Length: > 0 } m ? m : null;

    /// <summary>Whether <c>DLCOURSE_OFFLINE=1</c> forbids downloads.</summary>
    public static bool Offline =>
        Environment.GetEnvironmentVariable(OfflineVariable) is "1" or "true";
}
