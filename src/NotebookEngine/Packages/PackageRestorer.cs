using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security;
using System.Text;
using NuGet.Common;
using NuGet.Frameworks;
using NuGet.ProjectModel;

namespace NotebookEngine.Packages;

/// <summary>A package request from <c>#r "nuget: Name, Version"</c> (Version null: highest available).</summary>
public sealed record PackageRequest(string Name, string? Version);

/// <summary>What a restore produced: managed assemblies to reference and native libraries to make loadable.</summary>
public sealed record RestoreResult(
    IReadOnlyDictionary<string, string> ResolvedVersions,
    IReadOnlyList<string> Assemblies,
    IReadOnlyList<string> NativeLibraries,
    bool FromCache,
    TimeSpan Elapsed);

/// <summary>Raised when a restore fails; the message is what the cell shows.</summary>
public sealed class PackageRestoreException(string message) : Exception(message);

/// <summary>
/// Resolves NuGet packages with a real <c>dotnet restore</c> of a generated project that lives
/// outside the repository (so no Directory.*.props applies), targets the running framework with no
/// runtime identifier, and adds <c>#i</c> sources as RestoreAdditionalProjectSources. The assets file
/// is read with NuGet.ProjectModel. Restores are cached by package set and sources.
/// </summary>
public sealed class PackageRestorer(string? cacheRoot = null)
{
    /// <summary>Where generated restore projects live.</summary>
    public string CacheRoot { get; } = cacheRoot ?? DefaultCacheRoot();

    /// <summary>The framework scripts run on (e.g. net10.0).</summary>
    public static string TargetFramework => $"net{Environment.Version.Major}.{Environment.Version.Minor}";

    private static string DefaultCacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "deeplearning-course", "notebook-restore");
    }

    /// <summary>Restores <paramref name="packages"/> together (a session's whole package set) and returns their assets.</summary>
    public async Task<RestoreResult> RestoreAsync(IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var project = BuildProject(packages, sources);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(project)))[..16];
        var dir = Path.Combine(CacheRoot, key);
        var projectPath = Path.Combine(dir, "restore.csproj");
        var assetsPath = Path.Combine(dir, "obj", "project.assets.json");
        var okMarker = Path.Combine(dir, "restore.ok");
        // Floating versions re-resolve at most once a day; pinned ones are cached for good.
        var floating = packages.Any(p => p.Version is null || p.Version.Contains('*'));
        var fresh = File.Exists(okMarker) && File.Exists(assetsPath)
            && (!floating || DateTime.UtcNow - File.GetLastWriteTimeUtc(okMarker) < TimeSpan.FromDays(1));
        if (!fresh)
        {
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(projectPath, project, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(dir, "Directory.Build.props"), "<Project />", cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(dir, "Directory.Packages.props"), "<Project />", cancellationToken);
            await RunRestoreAsync(dir, projectPath, packages, cancellationToken);
            await File.WriteAllTextAsync(okMarker, DateTime.UtcNow.ToString("O"), cancellationToken);
        }
        var result = ReadAssets(assetsPath, packages);
        return result with { FromCache = fresh, Elapsed = clock.Elapsed };
    }

    private static string BuildProject(IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources)
    {
        var text = new StringBuilder();
        text.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">");
        text.AppendLine("  <PropertyGroup>");
        text.AppendLine($"    <TargetFramework>{TargetFramework}</TargetFramework>");
        text.AppendLine("    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>");
        text.AppendLine("    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>");
        text.AppendLine("    <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>");
        text.AppendLine("    <DisableImplicitNuGetFallbackFolder>true</DisableImplicitNuGetFallbackFolder>");
        text.AppendLine("    <NoWarn>$(NoWarn);NU1603;NU1701;NU1608</NoWarn>");
        if (sources.Count > 0)
            text.AppendLine($"    <RestoreAdditionalProjectSources>{SecurityElement.Escape(string.Join(';', sources))}</RestoreAdditionalProjectSources>");
        text.AppendLine("  </PropertyGroup>");
        text.AppendLine("  <ItemGroup>");
        foreach (var p in packages.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
            text.AppendLine($"    <PackageReference Include=\"{SecurityElement.Escape(p.Name)}\" Version=\"{SecurityElement.Escape(p.Version ?? "*")}\" />");
        text.AppendLine("  </ItemGroup>");
        text.AppendLine("</Project>");
        return text.ToString();
    }

    private static async Task RunRestoreAsync(string dir, string projectPath, IReadOnlyList<PackageRequest> packages, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "restore", projectPath, "--nologo", "-v", "q", "-p:NuGetAudit=false" })
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // The host may run under `dotnet test`/`dotnet run`; their MSBuild variables must not leak in.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
            start.Environment.Remove(name);
        using var process = Process.Start(start) ?? throw new PackageRestoreException("could not start `dotnet restore`");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            var output = (await stdout) + (await stderr);
            var errors = output.Split('\n')
                .Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))
                .Select(l => l.Trim())
                .Select(l => l.Replace(projectPath, "restore.csproj").Replace(" [restore.csproj]", ""))
                .Distinct()
                .Take(8);
            var list = string.Join(", ", packages.Select(p => p.Version is null ? p.Name : $"{p.Name} {p.Version}"));
            throw new PackageRestoreException($"NuGet restore failed for {list}:\n{string.Join('\n', errors)}");
        }
    }

    private static RestoreResult ReadAssets(string assetsPath, IReadOnlyList<PackageRequest> requested)
    {
        var lockFile = LockFileUtilities.GetLockFile(assetsPath, NullLogger.Instance)
            ?? throw new PackageRestoreException($"restore produced no assets file at {assetsPath}");
        var framework = NuGetFramework.Parse(TargetFramework);
        var target = lockFile.GetTarget(framework, runtimeIdentifier: null)
            ?? lockFile.Targets.FirstOrDefault()
            ?? throw new PackageRestoreException("the assets file has no target for " + TargetFramework);
        var packageFolder = lockFile.PackageFolders.FirstOrDefault()?.Path
            ?? throw new PackageRestoreException("the assets file names no package folder");
        var rids = RuntimeIdentifierChain();
        var assemblies = new List<string>();
        var natives = new List<string>();
        var versions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var lib in target.Libraries.Where(l => l.Type == "package"))
        {
            var library = lockFile.GetLibrary(lib.Name, lib.Version);
            if (library is null || lib.Name is null || lib.Version is null)
                continue;
            versions[lib.Name] = lib.Version.ToNormalizedString();
            var root = Path.Combine(packageFolder, library.Path);

            // RID-specific managed assets replace the portable ones for this platform.
            var ridRuntime = rids.Select(rid => lib.RuntimeTargets.Where(t => t.Runtime == rid && t.AssetType == "runtime").ToList())
                .FirstOrDefault(list => list.Count > 0);
            var managed = ridRuntime is not null ? ridRuntime.Select(t => t.Path) : lib.RuntimeAssemblies.Select(a => a.Path);
            assemblies.AddRange(managed.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(p => Path.GetFullPath(Path.Combine(root, p))));

            var native = rids.Select(rid => lib.RuntimeTargets.Where(t => t.Runtime == rid && t.AssetType == "native").ToList())
                .FirstOrDefault(list => list.Count > 0) ?? [];
            natives.AddRange(native.Select(t => Path.GetFullPath(Path.Combine(root, t.Path))));
            natives.AddRange(lib.NativeLibraries.Select(a => Path.GetFullPath(Path.Combine(root, a.Path))));
        }
        return new RestoreResult(versions, assemblies.Distinct().ToList(), natives.Distinct().ToList(), false, TimeSpan.Zero);
    }

    /// <summary>This platform's runtime identifiers, most specific first (e.g. linux-x64, linux, unix).</summary>
    public static IReadOnlyList<string> RuntimeIdentifierChain()
    {
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var chain = new List<string> { $"{os}-{arch}", os };
        if (os != "win")
            chain.AddRange(["unix-" + arch, "unix"]);
        chain.Add("any");
        return chain;
    }
}
