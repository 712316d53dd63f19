using System.Reflection;

namespace DeepLearning.Course.Platform;

/// <summary>One copy of <c>libLibTorchSharp.so</c> and what the compatibility fix did to it.</summary>
/// <param name="Path">The file.</param>
/// <param name="Status">What was found and done.</param>
/// <param name="Message">A sentence for people; names the fix when something is wrong.</param>
public sealed record NativeFixResult(string Path, NativeFixStatus Status, string Message)
{
    /// <summary>True when this copy is expected not to load on this host.</summary>
    public bool IsProblem => Status is NativeFixStatus.Unrecognized or NativeFixStatus.Failed;
}

/// <summary>The outcome of <see cref="TorchSharpNative.EnsureLoadable"/> over every copy TorchSharp might load.</summary>
/// <param name="Files">One result per copy found.</param>
public sealed record NativeFixReport(IReadOnlyList<NativeFixResult> Files)
{
    /// <summary>True when at least one copy was patched by this call.</summary>
    public bool AnyPatched => Files.Any(f => f.Status == NativeFixStatus.Patched);

    /// <summary>True when at least one copy is expected not to load.</summary>
    public bool HasProblem => Files.Any(f => f.IsProblem);

    /// <summary>
    /// What a setup cell should print: the messages of copies that were patched or have a problem, one per line,
    /// or an empty string when nothing happened.
    /// </summary>
    public string Summary => string.Join(System.Environment.NewLine,
        Files.Where(f => f.Status == NativeFixStatus.Patched || f.IsProblem).Select(f => f.Message));

    /// <inheritdoc />
    public override string ToString() =>
        Files.Count == 0
            ? "No copy of TorchSharp's native library found."
            : string.Join(System.Environment.NewLine, Files.Select(f => $"{f.Status}: {f.Message}"));
}

/// <summary>
/// Makes sure TorchSharp's native library loads on this machine: on Linux hosts whose libstdc++ predates GCC 13
/// (Debian 12, Ubuntu 22.04), TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> asks for <c>GLIBCXX_3.4.32</c>
/// only for an unused marker symbol; this marks that requirement weak in every copy TorchSharp might load.
/// </summary>
/// <remarks>
/// Builds do this automatically (<c>Directory.Build.targets</c>); the shared notebook setup cell and the
/// <c>doctor</c> command call <see cref="EnsureLoadable"/> for notebooks that load TorchSharp from the NuGet cache.
/// Call it before the first tensor is created. Safe to call repeatedly: it only edits the exact known original
/// file (checked by SHA-256), atomically, and reports <see cref="NativeFixStatus.AlreadyPatched"/> afterwards.
/// See environment/README.md, "The libstdc++ compatibility fix".
/// </remarks>
public static class TorchSharpNative
{
    /// <summary>The native library's file name on Linux.</summary>
    public const string LinuxFileName = LibTorchSharpCompat.FileName;

    /// <summary>Environment variable that switches the fix off when set to <c>off</c> (or 0, false, no).</summary>
    public const string SwitchVariable = LibTorchSharpCompat.SwitchVariable;

    /// <summary>True on Linux hosts whose libstdc++ lacks <c>GLIBCXX_3.4.32</c> (GCC 12 or older).</summary>
    public static bool FixNeededOnThisHost =>
        OperatingSystem.IsLinux() && LibTorchSharpCompat.HostNeedsFix(LibTorchSharpCompat.Host);

    /// <summary>Applies the fix to every copy of the native library that TorchSharp might load in this process.</summary>
    /// <returns>One result per copy found; print <see cref="NativeFixReport.Summary"/> if it is not empty.</returns>
    public static NativeFixReport EnsureLoadable() =>
        new(CandidatePaths().Select(Apply).ToList());

    /// <summary>Applies the fix to one file (for example a path a notebook engine resolved).</summary>
    /// <param name="path">A copy of <c>libLibTorchSharp.so</c>.</param>
    /// <returns>What was found and done.</returns>
    public static NativeFixResult Apply(string path)
    {
        var result = LibTorchSharpCompat.Apply(path);
        return new NativeFixResult(result.Path, result.Status, result.Message);
    }

    /// <summary>
    /// A few lines for people: the host's libstdc++, whether the fix applies here, and the state of each copy
    /// of the native library, without changing anything.
    /// </summary>
    /// <returns>Text, one fact per line.</returns>
    public static string Describe()
    {
        var lines = new List<string>();
        if (!OperatingSystem.IsLinux())
        {
            lines.Add("Not Linux: the libstdc++ compatibility fix does not apply.");
            return string.Join(System.Environment.NewLine, lines);
        }
        var host = LibTorchSharpCompat.Host;
        lines.Add(host.Path is null
            ? "libstdc++.so.6: not found."
            : $"libstdc++.so.6: {host.Path} (newest {host.NewestGlibcxx}); compatibility fix " +
              (LibTorchSharpCompat.HostNeedsFix(host) ? "needed on this host." : "not needed on this host."));
        foreach (var path in CandidatePaths())
            lines.Add($"{path}: {DescribeFile(path)}");
        return string.Join(System.Environment.NewLine, lines);
    }

    /// <summary>
    /// The copies of <c>libLibTorchSharp.so</c> TorchSharp might load in this process, existing files only:
    /// the host's native search directories, the application directory (and its <c>runtimes/linux-x64/native</c>),
    /// the folder TorchSharp.dll was loaded from and its NuGet package layout, and the NuGet package cache.
    /// </summary>
    /// <returns>Full paths, without duplicates.</returns>
    public static IReadOnlyList<string> CandidatePaths()
    {
        if (!OperatingSystem.IsLinux()) return [];
        var directories = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
            directories.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        directories.Add(AppContext.BaseDirectory);
        directories.Add(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"));
        var torchSharpDirectory = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchSharpDirectory))
        {
            directories.Add(torchSharpDirectory);
            // NuGet layout: torchsharp/<version>/lib/net8.0/TorchSharp.dll beside runtimes/linux-x64/native.
            directories.Add(Path.Combine(torchSharpDirectory, "..", "..", "runtimes", "linux-x64", "native"));
        }
        var version = typeof(TorchSharp.torch).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        if (version is not null)
            directories.Add(Path.Combine(NuGetPackagesFolder(), "torchsharp", version, "runtimes", "linux-x64", "native"));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var paths = new List<string>();
        foreach (var directory in directories)
        {
            var path = Path.GetFullPath(Path.Combine(directory, LinuxFileName));
            if (File.Exists(path) && seen.Add(path)) paths.Add(path);
        }
        return paths;
    }

    /// <summary>The NuGet global packages folder: <c>$NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>.</summary>
    internal static string NuGetPackagesFolder() =>
        System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string DescribeFile(string path)
    {
        string sha;
        try
        {
            sha = LibTorchSharpCompat.Sha256Hex(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"unreadable ({e.Message})";
        }
        foreach (var known in LibTorchSharpCompat.KnownBuilds)
        {
            if (sha == known.PatchedSha256) return $"{known.Name}, patched for libstdc++ compatibility";
            if (sha == known.OriginalSha256) return $"{known.Name}, original (unpatched)";
        }
        return $"not a build the compatibility fix knows (SHA-256 {sha})";
    }
}
