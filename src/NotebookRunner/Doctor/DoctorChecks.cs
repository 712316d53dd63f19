using System.Diagnostics;
using System.Text.Json;
using DeepLearning.Course.Platform;

namespace NotebookRunner.Doctor;

/// <summary>The checks <c>doctor</c> runs, one method each, in the order they are printed.</summary>
internal static class DoctorChecks
{
    private const string Readme = "environment/README.md";

    /// <summary>The SDK that global.json asks for is installed and selected.</summary>
    public static DoctorCheck DotNetSdk(string? repoRoot)
    {
        var runtime = $"runtime {System.Environment.Version}";
        var globalJson = repoRoot is null ? null : Path.Combine(repoRoot, "global.json");
        string? required = null, rollForward = null;
        if (globalJson is not null && File.Exists(globalJson))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(globalJson));
            if (doc.RootElement.TryGetProperty("sdk", out var sdk))
            {
                required = sdk.TryGetProperty("version", out var v) ? v.GetString() : null;
                rollForward = sdk.TryGetProperty("rollForward", out var r) ? r.GetString() : null;
            }
        }
        var (exit, output) = RunDotNet("--version", repoRoot ?? Directory.GetCurrentDirectory());
        var asks = required is null ? "no global.json found" : $"global.json asks {required}, rollForward {rollForward ?? "default"}";
        if (exit != 0)
        {
            return new DoctorCheck(".NET SDK", Outcome.Fail,
                $"`dotnet --version` failed ({asks}; {runtime}):\n{FirstLines(output, 4)}",
                $"install the .NET {MajorMinor(required) ?? "10.0"} SDK (feature band {required ?? "10.0.100"} or later): " +
                "https://dot.net/download, or use the dev container (.devcontainer/).");
        }
        var installed = output.Trim();
        if (required is not null && MajorMinor(installed) != MajorMinor(required))
        {
            return new DoctorCheck(".NET SDK", Outcome.Fail, $"{installed}, but {asks}",
                $"install the .NET {MajorMinor(required)} SDK: https://dot.net/download");
        }
        return new DoctorCheck(".NET SDK", Outcome.Pass, $"{installed} ({asks}; {runtime})");
    }

    /// <summary>
    /// The libstdc++ compatibility fix, applied to every copy TorchSharp might load, then a real load of the
    /// native library and a tiny computation.
    /// </summary>
    public static (DoctorCheck Compat, DoctorCheck Load) TorchSharpNativeLoad()
    {
        var report = TorchSharpNative.EnsureLoadable();
        var compat = CompatCheck(report);

        // A damaged copy in this program's folder is not even tried: dlopen of a truncated ELF file can crash
        // the process (SIGBUS) instead of failing.
        var damaged = report.Files.FirstOrDefault(f => f.IsProblem && IsUnder(f.Path, AppContext.BaseDirectory));
        if (damaged is not null)
            return (compat, new DoctorCheck("TorchSharp load", Outcome.Fail,
                $"TorchSharp's native library did not load: not tried, the copy this program would load is not usable:\n{damaged.Path}",
                damaged.Message));

        var (stdout, stderr) = (Console.Out, Console.Error);
        try
        {
            // TorchSharp prints its loader trace; the exception carries it too.
            Console.SetOut(TextWriter.Null);
            Console.SetError(TextWriter.Null);
            if (!TorchSharp.torch.TryInitializeDeviceType(TorchSharp.DeviceType.CPU))
                TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU); // throws with TorchSharp's trace
            using var x = TorchSharp.torch.ones(2, 2);
            using var sum = x.sum();
            var value = sum.item<float>();
            if (value != 4f) throw new InvalidOperationException($"ones(2,2).sum() gave {value}, expected 4");
            return (compat, new DoctorCheck("TorchSharp load", Outcome.Pass,
                $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3)} with libtorch " +
                $"{TorchSharp.torch.__version__}: native library loaded, ones(2,2).sum() = 4"));
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException
                                       or InvalidOperationException or EntryPointNotFoundException or BadImageFormatException)
        {
            var primary = report.Files.FirstOrDefault(f => IsUnder(f.Path, AppContext.BaseDirectory));
            var loaderError = primary is null ? null : DynamicLoaderError(primary.Path);
            return (compat, new DoctorCheck("TorchSharp load", Outcome.Fail,
                "TorchSharp's native library did not load:\n" +
                (loaderError is null ? "" : $"dynamic loader: {loaderError}\n") +
                "TorchSharp: " + FirstLines(Innermost(e).Message, 6),
                LoadFix(report)));
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    /// <summary>
    /// A system libtorch on the dynamic linker's path (Debian's <c>libtorch-dev</c>, which <c>python3-torch</c>
    /// recommends): hosts that load TorchSharp's libtorch by name, such as .NET Interactive, get it instead.
    /// </summary>
    public static DoctorCheck SystemLibTorchShadowing()
    {
        var copies = SystemLibTorch.ShadowingCopies();
        if (copies.Count == 0)
            return new DoctorCheck("System libtorch", Outcome.Pass, "none on the dynamic linker's path");
        return new DoctorCheck("System libtorch", Outcome.Warn,
            $"on the dynamic linker's path: {string.Join(", ", copies)}\n" +
            "The course's runner, kernel and setup cell load TorchSharp's own libtorch and are not affected. In Microsoft's " +
            ".NET Interactive (Polyglot Notebooks) a notebook that loads TorchSharp without the course's setup cell gets this " +
            "libtorch instead and fails (\"doesn't contain a reference to libtorch-cpu-linux-x64\").",
            "sudo apt-get remove libtorch-dev   # Debian's python3-torch works without it; or call " +
            "DeepLearning.Course.Platform.SystemLibTorch.PreferPackageCopies() before the first tensor");
    }

    /// <summary>The dynamic loader's own error for one file (TorchSharp's trace does not include it), or null if it loads.</summary>
    private static string? DynamicLoaderError(string path)
    {
        try
        {
            System.Runtime.InteropServices.NativeLibrary.Free(System.Runtime.InteropServices.NativeLibrary.Load(path));
            return null;
        }
        catch (DllNotFoundException e)
        {
            return e.Message.Trim();
        }
    }

    private static bool IsUnder(string path, string directory) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(directory), StringComparison.Ordinal);

    /// <summary>CUDA availability and which backend package (TorchSharp-cpu or a CUDA one) this program uses.</summary>
    public static DoctorCheck Cuda(bool torchLoaded)
    {
        var backends = BackendPackages();
        var backend = backends.Count == 0 ? "no backend package found in deps.json" : string.Join(", ", backends);
        var usesCuda = backends.Any(b => b.Contains("cuda", StringComparison.OrdinalIgnoreCase));
        var gpuPresent = File.Exists("/proc/driver/nvidia/version") || Directory.Exists("/dev/dxg") || FindOnPath("nvidia-smi");
        if (!torchLoaded)
            return new DoctorCheck("CUDA", Outcome.Warn, $"backend: {backend}; not checked (TorchSharp did not load)",
                "fix the TorchSharp load failure above first.");
        bool available = TorchSharp.torch.cuda.is_available();
        if (available)
            return new DoctorCheck("CUDA", Outcome.Pass,
                $"backend: {backend}; CUDA available, {TorchSharp.torch.cuda.device_count()} device(s)");
        if (usesCuda)
            return new DoctorCheck("CUDA", Outcome.Fail, $"backend: {backend}; but CUDA is not available",
                "check the NVIDIA driver (`nvidia-smi`), and in a container run with `--gpus all` " +
                $"(.devcontainer/gpu/); or switch back to TorchSharp-cpu ({Readme}, \"Using a GPU\").");
        if (gpuPresent)
            return new DoctorCheck("CUDA", Outcome.Warn, $"backend: {backend}; an NVIDIA GPU seems present but the CPU backend is in use",
                $"to train on the GPU switch to TorchSharp-cuda-linux / TorchSharp-cuda-windows ({Readme}, \"Using a GPU\").");
        return new DoctorCheck("CUDA", Outcome.Pass, $"backend: {backend}; no CUDA device (the CPU backend runs every chapter)");
    }

    /// <summary>Where datasets are cached (contract: DLCOURSE_DATA_HOME, XDG_CACHE_HOME, ~/.cache) and what is there.</summary>
    public static DoctorCheck DatasetCache()
    {
        var (root, source) = DatasetRoot();
        if (!Directory.Exists(root))
        {
            var probeParent = NearestExistingDirectory(root);
            if (probeParent is null || !CanWrite(probeParent))
                return new DoctorCheck("Dataset cache", Outcome.Fail, $"{root} ({source}) does not exist and cannot be created",
                    $"set DLCOURSE_DATA_HOME to a writable folder, e.g. `export DLCOURSE_DATA_HOME=$HOME/dlcourse-data`.");
            return new DoctorCheck("Dataset cache", Outcome.Pass, $"{root} ({source}): empty; datasets download on first use");
        }
        if (!CanWrite(root))
            return new DoctorCheck("Dataset cache", Outcome.Fail, $"{root} ({source}) is not writable",
                $"fix its permissions (`chown -R $USER {root}`) or set DLCOURSE_DATA_HOME to a writable folder.");
        var datasets = Directory.GetDirectories(root).Order(StringComparer.Ordinal)
            .Select(d => $"{Path.GetFileName(d)} ({FormatBytes(DirectorySize(d))})").ToList();
        return new DoctorCheck("Dataset cache", Outcome.Pass,
            $"{root} ({source}): " + (datasets.Count == 0 ? "empty; datasets download on first use" : string.Join(", ", datasets)));
    }

    /// <summary>Free space where datasets and build outputs go.</summary>
    public static DoctorCheck FreeDisk(string? repoRoot)
    {
        const long warnBelow = 5L << 30, failBelow = 1L << 30;
        var places = new List<(string What, string Path)> { ("dataset cache", DatasetRoot().Root) };
        if (repoRoot is not null) places.Add(("repository", repoRoot));
        places.Add(("temp", Path.GetTempPath()));
        var lines = new List<string>();
        long least = long.MaxValue;
        foreach (var (what, path) in places)
        {
            var existing = NearestExistingDirectory(path);
            if (existing is null) continue;
            var free = new DriveInfo(existing).AvailableFreeSpace;
            least = Math.Min(least, free);
            lines.Add($"{what}: {FormatBytes(free)} free ({existing})");
        }
        var detail = string.Join("\n", lines);
        if (least < failBelow)
            return new DoctorCheck("Free disk", Outcome.Fail, detail,
                "free some space (the CPU libtorch alone is ~0.5 GiB per build output; datasets up to ~1 GiB), " +
                "or set DLCOURSE_DATA_HOME to a disk with room.");
        if (least < warnBelow)
            return new DoctorCheck("Free disk", Outcome.Warn, detail,
                "less than 5 GiB free: builds and datasets may fill it; free some space or move DLCOURSE_DATA_HOME.");
        return new DoctorCheck("Free disk", Outcome.Pass, detail);
    }

    /// <summary>Contract 5: $DLCOURSE_DATA_HOME, else $XDG_CACHE_HOME/deeplearning-course/datasets, else ~/.cache/….</summary>
    internal static (string Root, string Source) DatasetRoot()
    {
        if (System.Environment.GetEnvironmentVariable("DLCOURSE_DATA_HOME") is { Length: > 0 } home)
            return (home, "from DLCOURSE_DATA_HOME");
        if (System.Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg)
            return (Path.Combine(xdg, "deeplearning-course", "datasets"), "from XDG_CACHE_HOME");
        var user = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        return (Path.Combine(user, ".cache", "deeplearning-course", "datasets"), "default");
    }

    private static DoctorCheck CompatCheck(NativeFixReport report)
    {
        var describe = TorchSharpNative.Describe().Split(System.Environment.NewLine)[0];
        if (report.Files.Count == 0)
            return new DoctorCheck("libstdc++ compat", Outcome.Warn, $"{describe}\nno copy of libLibTorchSharp.so found next to this program",
                "rebuild (`dotnet build`), which copies TorchSharp's native library into the output.");
        var byStatus = report.Files.Select(f => $"{f.Status}: {f.Path}");
        var detail = describe + "\n" + string.Join("\n", byStatus);
        var problems = report.Files.Where(f => f.IsProblem).ToList();
        if (problems.Any(p => IsUnder(p.Path, AppContext.BaseDirectory)))
            return new DoctorCheck("libstdc++ compat", Outcome.Fail, detail, string.Join("\n", problems.Select(p => p.Message)));
        if (problems.Count > 0) // e.g. a read-only NuGet cache: this program's own copy is fine
            return new DoctorCheck("libstdc++ compat", Outcome.Warn, detail, string.Join("\n", problems.Select(p => p.Message)));
        if (report.Files.Any(f => f.Status == NativeFixStatus.Disabled) && TorchSharpNative.FixNeededOnThisHost)
            return new DoctorCheck("libstdc++ compat", Outcome.Warn, detail,
                $"{TorchSharpNative.SwitchVariable}=off switches the fix off, but this host needs it; unset it.");
        return new DoctorCheck("libstdc++ compat", Outcome.Pass,
            detail + (report.AnyPatched ? "\n(patched just now: " + report.Summary + ")" : ""));
    }

    private static string LoadFix(NativeFixReport report)
    {
        var problem = report.Files.FirstOrDefault(f => f.IsProblem);
        if (problem is not null) return problem.Message;
        if (report.Files.Any(f => f.Status == NativeFixStatus.Disabled))
            return $"the libstdc++ compatibility fix is switched off: unset {TorchSharpNative.SwitchVariable} and run doctor again.";
        if (report.Files.Count == 0)
            return "TorchSharp's native library is missing from the output: reference TorchSharp-cpu (or a CUDA backend) " +
                   "and rebuild; see " + Readme + ".";
        return "delete bin/ and obj/ and rebuild (`dotnet build -c Release`); if a library is missing, restore again; " +
               $"see {Readme} (Troubleshooting).";
    }

    private static IReadOnlyList<string> BackendPackages()
    {
        var deps = Directory.GetFiles(AppContext.BaseDirectory, "*.deps.json");
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in deps)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            if (!doc.RootElement.TryGetProperty("libraries", out var libraries)) continue;
            foreach (var library in libraries.EnumerateObject())
            {
                var name = library.Name;
                if (name.StartsWith("TorchSharp-", StringComparison.OrdinalIgnoreCase)) names.Add(name);
            }
        }
        return names.ToList();
    }

    private static (int ExitCode, string Output) RunDotNet(string arguments, string workingDirectory)
    {
        var dotnet = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : "dotnet";
        try
        {
            var start = new ProcessStartInfo(dotnet, arguments)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"cannot run dotnet: {e.Message}");
        }
    }

    private static bool FindOnPath(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, program)));

    private static string? MajorMinor(string? version)
    {
        if (version is null) return null;
        var parts = version.Split('.');
        return parts.Length >= 2 ? $"{parts[0]}.{parts[1]}" : null;
    }

    private static string? NearestExistingDirectory(string path)
    {
        var current = Path.GetFullPath(path);
        while (!Directory.Exists(current))
        {
            var parent = Path.GetDirectoryName(current);
            if (parent is null || parent == current) return null;
            current = parent;
        }
        return current;
    }

    private static bool CanWrite(string directory)
    {
        var probe = Path.Combine(directory, $".dlcourse-doctor-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long DirectorySize(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    private static string FirstLines(string text, int count)
    {
        var lines = text.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join("\n", lines.Take(count)) + (lines.Length > count ? "\n…" : "");
    }
}
