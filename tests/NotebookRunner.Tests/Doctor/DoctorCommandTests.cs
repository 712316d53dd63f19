using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using DeepLearning.Course.Platform;

namespace NotebookRunner.Tests.Doctor;

/// <summary>
/// Runs <c>NotebookRunner doctor</c> as a child process, as a learner would, against the real build output and
/// against copies of it whose native library is damaged, unpatched, or unpatched with the fix switched off.
/// </summary>
public class DoctorCommandTests
{
    private const string PatchedSha256 = "5968efac8270eff8a2b5ca7381612ea9cc54d81cf4104a54e0e6106b7b5f11e3";

    [Fact]
    public void Doctor_passes_on_this_machine()
    {
        // Given the runner as built
        // When a learner runs doctor
        var (exit, output) = RunDoctor(RunnerOutput);
        // Then every check passes and says so
        Assert.True(exit == 0, output);
        Assert.Contains("PASS  .NET SDK", output);
        Assert.Contains("PASS  TorchSharp load", output);
        Assert.Contains("backend: TorchSharp-", output);
        Assert.Contains("All checks passed", output);
    }

    [Fact]
    public void Doctor_fails_with_a_fix_when_the_native_library_is_damaged()
    {
        // Given a copy of the runner whose libLibTorchSharp.so is cut short (an interrupted copy or download)
        using var app = new RunnerCopy(OriginalLibrary()[..100_000]);
        // When doctor runs
        var (exit, output) = RunDoctor(app.Directory);
        // Then the load check fails, names the damaged file, prints a fix, and the exit code says failure
        Assert.Equal(1, exit);
        Assert.Contains("FAIL  TorchSharp load", output);
        Assert.Contains("did not load", output);
        Assert.Contains(app.LibraryPath, output);
        Assert.Contains("fix: ", output);
        Assert.Contains("not a readable ELF file", output);
        Assert.Contains("delete bin/ and obj/", output);
    }

    [Fact]
    public void Doctor_fails_and_names_the_switch_when_the_fix_is_off_on_a_host_that_needs_it()
    {
        // Given TorchSharp's original native library and the compatibility fix switched off
        using var app = new RunnerCopy(OriginalLibrary());
        // When doctor runs, with a NuGet cache that holds no (patched) TorchSharp either: otherwise TorchSharp
        // falls back to copying the cache's native libraries next to the program and loads those
        using var emptyCache = new TempDirectory();
        var (exit, output) = RunDoctor(app.Directory, ("DLCOURSE_LIBTORCHSHARP_COMPAT", "off"), ("NUGET_PACKAGES", emptyCache.Path));
        // Then on a GCC 12 host (like this one) the load fails for GLIBCXX_3.4.32 and the fix says to unset
        // the switch; on a GCC 13 host the original loads and doctor passes
        if (TorchSharpNative.FixNeededOnThisHost)
        {
            Assert.Equal(1, exit);
            Assert.Contains("FAIL  TorchSharp load", output);
            Assert.Contains("dynamic loader:", output);
            Assert.Contains("GLIBCXX_3.4.32' not found", output);
            Assert.Contains("unset DLCOURSE_LIBTORCHSHARP_COMPAT", output);
        }
        else
        {
            Assert.True(exit == 0, output);
        }
    }

    [Fact]
    public void Doctor_repairs_an_unpatched_output_on_a_host_that_needs_it()
    {
        // Given a copy of the runner carrying TorchSharp's original native library
        using var app = new RunnerCopy(OriginalLibrary());
        // When doctor runs
        var (exit, output) = RunDoctor(app.Directory);
        // Then it applies the fix where needed, the library loads, and all checks pass
        Assert.True(exit == 0, output);
        Assert.Contains("PASS  TorchSharp load", output);
        if (TorchSharpNative.FixNeededOnThisHost)
        {
            Assert.Contains("patched just now", output);
            Assert.Equal(PatchedSha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(app.LibraryPath))));
        }
    }

    /// <summary>The runner's build output (same configuration as this test assembly).</summary>
    private static string RunnerOutput
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
            var path = Path.Combine(RepoRoot, "src", "NotebookRunner", "bin", configuration, "net10.0");
            Assert.True(File.Exists(Path.Combine(path, "NotebookRunner.dll")), $"runner not built at {path}");
            return path;
        }
    }

    private static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DeepLearningCourse.slnx"))) return dir.FullName;
            }
            throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
        }
    }

    private static (int ExitCode, string Output) RunDoctor(string appDirectory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(appDirectory, "NotebookRunner.dll"), "doctor"])
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DLCOURSE_DATA_HOME"] = Path.Combine(Path.GetTempPath(), "dlcourse-doctor-test-data");
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "doctor did not finish in 2 minutes");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private sealed class TempDirectory : IDisposable
    {
        public TempDirectory() => System.IO.Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dlcourse-empty-" + Guid.NewGuid().ToString("N")[..8]);

        public void Dispose() => System.IO.Directory.Delete(Path, recursive: true);
    }

    /// <summary>TorchSharp 0.107.0's pristine linux-x64 native library, from the package file in the NuGet cache.</summary>
    private static byte[] OriginalLibrary()
    {
        var packages = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        using var zip = ZipFile.OpenRead(Path.Combine(packages, "torchsharp", "0.107.0", "torchsharp.0.107.0.nupkg"));
        using var stream = zip.GetEntry("runtimes/linux-x64/native/libLibTorchSharp.so")!.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>
    /// A scratch copy of the runner's output: the program's own files copied, other files linked, and
    /// runtimes/linux-x64/native/libLibTorchSharp.so replaced by the given bytes.
    /// </summary>
    private sealed class RunnerCopy : IDisposable
    {
        public RunnerCopy(byte[] library)
        {
            Directory = Path.Combine(Path.GetTempPath(), "dlcourse-doctor-" + Guid.NewGuid().ToString("N")[..8]);
            var source = RunnerOutput;
            System.IO.Directory.CreateDirectory(Directory);
            foreach (var file in System.IO.Directory.GetFiles(source))
            {
                var target = Path.Combine(Directory, Path.GetFileName(file));
                if (Path.GetFileName(file).StartsWith("NotebookRunner.", StringComparison.Ordinal)) File.Copy(file, target);
                else File.CreateSymbolicLink(target, file);
            }
            var native = Path.Combine(Directory, "runtimes", "linux-x64", "native");
            System.IO.Directory.CreateDirectory(native);
            foreach (var file in System.IO.Directory.GetFiles(Path.Combine(source, "runtimes", "linux-x64", "native")))
            {
                if (Path.GetFileName(file) != "libLibTorchSharp.so")
                    File.CreateSymbolicLink(Path.Combine(native, Path.GetFileName(file)), file);
            }
            LibraryPath = Path.Combine(native, "libLibTorchSharp.so");
            File.WriteAllBytes(LibraryPath, library);
        }

        public string Directory { get; }

        public string LibraryPath { get; }

        public void Dispose()
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
