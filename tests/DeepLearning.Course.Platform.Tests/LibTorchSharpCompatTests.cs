using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using DeepLearning.Course.Platform;

namespace DeepLearning.Course.Platform.Tests;

[SupportedOSPlatform("linux")]
public class LibTorchSharpCompatTests
{
    [LinuxFact]
    public void The_original_needs_GLIBCXX_3_4_32_only_strongly_and_the_patch_makes_it_weak()
    {
        using var scratch = new OriginalLibTorchSharp();
        // Given the original library
        var before = LibTorchSharpCompat.ReadVersionNeeds(File.ReadAllBytes(scratch.LibraryPath));
        // When it is patched for a GCC 12 host
        LibTorchSharpCompat.Apply(scratch.LibraryPath, OriginalLibTorchSharp.Gcc12Host);
        var after = LibTorchSharpCompat.ReadVersionNeeds(File.ReadAllBytes(scratch.LibraryPath));
        // Then exactly one requirement changed: GLIBCXX_3.4.32 from libstdc++ gained VER_FLG_WEAK (0x2)
        var changed = before.Zip(after).Where(p => p.First.Flags != p.Second.Flags).ToList();
        var (was, now) = Assert.Single(changed);
        Assert.Equal(("libstdc++.so.6", "GLIBCXX_3.4.32", 0, 2), (was.File, was.Version, (int)was.Flags, (int)now.Flags));
    }

    [LinuxFact]
    public void Patching_the_original_gives_the_known_file_which_loads()
    {
        using var scratch = new OriginalLibTorchSharp();
        var mode = File.GetUnixFileMode(scratch.LibraryPath);
        var modified = File.GetLastWriteTimeUtc(scratch.LibraryPath);
        // Given the original library on a host whose libstdc++ stops at GLIBCXX_3.4.30
        // When the fix is applied
        var result = LibTorchSharpCompat.Apply(scratch.LibraryPath, OriginalLibTorchSharp.Gcc12Host);
        // Then it reports the patch once, the file hashes to the known patched value, keeps its mode and
        // modification time (so incremental copies never swap it back), no temporary file is left beside it,
        // and the dynamic loader accepts it
        Assert.Equal(NativeFixStatus.Patched, result.Status);
        Assert.Contains("Patched", result.Message);
        Assert.Equal(OriginalLibTorchSharp.PatchedSha256, OriginalLibTorchSharp.Sha256(scratch.LibraryPath));
        Assert.Equal(mode, File.GetUnixFileMode(scratch.LibraryPath));
        Assert.Equal(modified, File.GetLastWriteTimeUtc(scratch.LibraryPath));
        Assert.Empty(Directory.GetFiles(scratch.Directory, "*.tmp"));
        Assert.True(NativeLibrary.TryLoad(scratch.LibraryPath, out var handle), "patched library did not load");
        NativeLibrary.Free(handle);
    }

    [LinuxFact]
    public void On_this_host_the_original_loads_exactly_when_the_fix_is_not_needed()
    {
        using var scratch = new OriginalLibTorchSharp();
        // Given the original library and this machine's libstdc++
        var needsFix = LibTorchSharpCompat.HostNeedsFix(LibTorchSharpCompat.Host);
        // When the dynamic loader is asked to load it
        Exception? failure = null;
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(scratch.LibraryPath));
        }
        catch (DllNotFoundException e)
        {
            failure = e;
        }
        // Then it fails for the missing GLIBCXX_3.4.32 exactly on hosts the fix is for (Debian 12 here)
        if (needsFix)
            Assert.Contains("GLIBCXX_3.4.32", Assert.IsType<DllNotFoundException>(failure).Message);
        else
            Assert.Null(failure);
    }

    [LinuxFact]
    public void Applying_twice_changes_nothing_the_second_time()
    {
        using var scratch = new OriginalLibTorchSharp();
        // Given a library that has been patched
        LibTorchSharpCompat.Apply(scratch.LibraryPath, OriginalLibTorchSharp.Gcc12Host);
        var written = File.GetLastWriteTimeUtc(scratch.LibraryPath);
        // When the fix is applied again
        var again = LibTorchSharpCompat.Apply(scratch.LibraryPath, OriginalLibTorchSharp.Gcc12Host);
        // Then it recognises its own work and leaves the file alone
        Assert.Equal(NativeFixStatus.AlreadyPatched, again.Status);
        Assert.False(again.Changed);
        Assert.Equal(written, File.GetLastWriteTimeUtc(scratch.LibraryPath));
        Assert.Equal(OriginalLibTorchSharp.PatchedSha256, OriginalLibTorchSharp.Sha256(scratch.LibraryPath));
    }

    [LinuxFact]
    public void A_host_with_GCC_13_libstdcxx_is_left_alone()
    {
        using var scratch = new OriginalLibTorchSharp();
        // Given a host that defines GLIBCXX_3.4.32
        // When the fix is applied
        var result = LibTorchSharpCompat.Apply(scratch.LibraryPath, OriginalLibTorchSharp.Gcc13Host);
        // Then nothing is done
        Assert.Equal(NativeFixStatus.NotNeeded, result.Status);
        Assert.Equal(OriginalLibTorchSharp.OriginalSha256, OriginalLibTorchSharp.Sha256(scratch.LibraryPath));
    }

    [LinuxFact]
    public void A_corrupted_copy_is_refused_and_left_untouched()
    {
        using var scratch = new OriginalLibTorchSharp();
        // Given the original with one byte flipped far from the version tables (a damaged download)
        var bytes = File.ReadAllBytes(scratch.LibraryPath);
        bytes[bytes.Length / 2] ^= 0xff;
        File.WriteAllBytes(scratch.LibraryPath, bytes);
        var sha = OriginalLibTorchSharp.Sha256(scratch.LibraryPath);
        // When the fix is applied
        var result = LibTorchSharpCompat.Apply(scratch.LibraryPath, OriginalLibTorchSharp.Gcc12Host);
        // Then it says the file is unknown, names what it lacks, and does not edit it
        Assert.Equal(NativeFixStatus.Unrecognized, result.Status);
        Assert.True(result.IsProblem);
        Assert.Contains("not a TorchSharp native library this fix knows", result.Message);
        Assert.Contains("GLIBCXX_3.4.32", result.Message);
        Assert.Equal(sha, OriginalLibTorchSharp.Sha256(scratch.LibraryPath));
    }

    [LinuxTheory]
    [InlineData(100)]
    [InlineData(4096)]
    [InlineData(1_000_000)]
    public void A_truncated_copy_is_refused_and_left_untouched(int length)
    {
        using var scratch = new OriginalLibTorchSharp();
        // Given the first bytes of the original only (an interrupted copy)
        File.WriteAllBytes(scratch.LibraryPath, File.ReadAllBytes(scratch.LibraryPath)[..length]);
        var sha = OriginalLibTorchSharp.Sha256(scratch.LibraryPath);
        // When the fix is applied
        var result = LibTorchSharpCompat.Apply(scratch.LibraryPath, OriginalLibTorchSharp.Gcc12Host);
        // Then it refuses with a reason and leaves the bytes as they were
        Assert.Equal(NativeFixStatus.Unrecognized, result.Status);
        Assert.Contains("not a readable ELF file", result.Message);
        Assert.Equal(sha, OriginalLibTorchSharp.Sha256(scratch.LibraryPath));
    }

    [LinuxFact]
    public void A_file_that_is_not_ELF_is_refused_and_left_untouched()
    {
        using var scratch = new OriginalLibTorchSharp();
        // Given a text file with the library's name
        File.WriteAllText(scratch.LibraryPath, "<html>404 Not Found</html>");
        // When the fix is applied
        var result = LibTorchSharpCompat.Apply(scratch.LibraryPath, OriginalLibTorchSharp.Gcc12Host);
        // Then it is refused and unchanged
        Assert.Equal(NativeFixStatus.Unrecognized, result.Status);
        Assert.Contains("no ELF header", result.Message);
        Assert.Equal("<html>404 Not Found</html>", File.ReadAllText(scratch.LibraryPath));
    }

    [LinuxFact]
    public void A_directory_that_cannot_be_written_gives_a_clear_error_and_an_untouched_file()
    {
        using var scratch = new OriginalLibTorchSharp();
        // Given the original in a directory this process cannot create files in
        using var readOnly = ReadOnlyDirectory.Make(scratch.Directory);
        // When the fix is applied
        var result = LibTorchSharpCompat.Apply(scratch.LibraryPath, OriginalLibTorchSharp.Gcc12Host);
        // Then it fails with a message that says what and how to fix it, and the original is intact
        Assert.Equal(NativeFixStatus.Failed, result.Status);
        Assert.Contains("could not be patched", result.Message);
        Assert.Contains("writable", result.Message);
        Assert.Equal(OriginalLibTorchSharp.OriginalSha256, OriginalLibTorchSharp.Sha256(scratch.LibraryPath));
        Assert.Single(Directory.GetFiles(scratch.Directory, "libLibTorchSharp*"));
        Assert.Empty(Directory.GetFiles(scratch.Directory, ".*.tmp"));
    }

    [LinuxFact]
    public void Other_native_libraries_are_not_read_or_touched()
    {
        using var scratch = new OriginalLibTorchSharp();
        // Given TorchSharp's original library under another name (as a hook passing every native library would)
        var other = Path.Combine(scratch.Directory, "libsomething.so");
        File.Copy(scratch.LibraryPath, other);
        // When the fix is applied to it
        var result = LibTorchSharpCompat.Apply(other, OriginalLibTorchSharp.Gcc12Host);
        // Then nothing is done
        Assert.Equal(NativeFixStatus.NotNeeded, result.Status);
        Assert.Equal(OriginalLibTorchSharp.OriginalSha256, OriginalLibTorchSharp.Sha256(other));
    }

    [LinuxFact]
    public void A_missing_file_is_reported_as_not_found()
    {
        // Given a path with nothing at it
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "libLibTorchSharp.so");
        // When the fix is applied
        var result = LibTorchSharpCompat.Apply(path, OriginalLibTorchSharp.Gcc12Host);
        // Then it says so
        Assert.Equal(NativeFixStatus.NotFound, result.Status);
    }

    [Fact]
    public void The_build_fast_path_knows_the_same_patched_file_as_the_fix()
    {
        // Given the build targets, which skip copies that already hash to the known patched value
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Directory.Build.targets"))) root = root.Parent!;
        var targets = File.ReadAllText(Path.Combine(root.FullName, "Directory.Build.targets"));
        // Then that value is the patched SHA-256 of the build the fix knows
        var known = Assert.Single(LibTorchSharpCompat.KnownBuilds);
        Assert.Contains($"<_DLCoursePatchedSha256>{known.PatchedSha256}</_DLCoursePatchedSha256>", targets);
        Assert.Equal(OriginalLibTorchSharp.PatchedSha256, known.PatchedSha256);
    }

    [LinuxFact]
    public void This_machines_libstdcxx_is_found_and_read()
    {
        // Given this Linux machine
        // When its libstdc++ is detected
        var host = LibTorchSharpCompat.Host;
        // Then a real file is found and its version definitions are read
        Assert.NotNull(host.Path);
        Assert.True(File.Exists(host.Path));
        Assert.True(host.Defines("GLIBCXX_3.4"), string.Join(",", host.DefinedVersions));
        Assert.StartsWith("GLIBCXX_3.4.", host.NewestGlibcxx);
    }

    [LinuxFact]
    public void The_test_output_copy_is_loadable_after_the_build()
    {
        // Given this test project's build output (patched, if needed, by Directory.Build.targets)
        // When the public entry point checks every copy TorchSharp may load
        var report = TorchSharpNative.EnsureLoadable();
        // Then it finds the output copy, which the build has already made loadable (a read-only NuGet cache
        // copy may still report a problem; TorchSharp loads the output copy)
        var output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var outputResult = Assert.Single(report.Files, f => f.Path == output);
        Assert.Contains(outputResult.Status, new[] { NativeFixStatus.AlreadyPatched, NativeFixStatus.NotNeeded });
        Assert.Contains("libstdc++.so.6", TorchSharpNative.Describe());
    }

    /// <summary>Makes a directory non-writable for this process, also when it runs as root (CI does).</summary>
    private sealed class ReadOnlyDirectory : IDisposable
    {
        private readonly string _path;
        private readonly bool _immutable;

        private ReadOnlyDirectory(string path, bool immutable)
        {
            _path = path;
            _immutable = immutable;
        }

        public static ReadOnlyDirectory Make(string path)
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            var immutable = false;
            if (CanCreateFileIn(path))
            {
                // root ignores file modes; the immutable attribute binds root too (needs CAP_LINUX_IMMUTABLE).
                immutable = Run("chattr", "+i", path) == 0;
            }
            var made = new ReadOnlyDirectory(path, immutable);
            if (CanCreateFileIn(path))
            {
                made.Dispose();
                Assert.Fail($"Could not make {path} non-writable (chmod 0500 and chattr +i both failed to stop writes).");
            }
            return made;
        }

        public void Dispose()
        {
            if (_immutable) Run("chattr", "-i", _path);
            File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        private static bool CanCreateFileIn(string path)
        {
            var probe = Path.Combine(path, ".probe");
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

        private static int Run(string file, params string[] args)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
                process.WaitForExit();
                return process.ExitCode;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return -1;
            }
        }
    }
}
