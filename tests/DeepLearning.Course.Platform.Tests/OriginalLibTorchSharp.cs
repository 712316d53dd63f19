using System.IO.Compression;
using System.Runtime.Versioning;
using DeepLearning.Course.Platform;

namespace DeepLearning.Course.Platform.Tests;

/// <summary>
/// A scratch folder holding a pristine copy of TorchSharp 0.107.0's libLibTorchSharp.so, taken from the
/// package's .nupkg in the NuGet cache (the extracted cache copy may already be patched), plus symbolic links
/// to the libtorch libraries it needs so that it can be loaded from there.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class OriginalLibTorchSharp : IDisposable
{
    public const string OriginalSha256 = "cf33b1b0bb6bbb9754a768fb5c5d04d9f498603be50e73f55621a0b40ee608b8";
    public const string PatchedSha256 = "5968efac8270eff8a2b5ca7381612ea9cc54d81cf4104a54e0e6106b7b5f11e3";

    /// <summary>A host like Debian 12 (GCC 12's libstdc++: up to GLIBCXX_3.4.30).</summary>
    public static readonly HostLibStdCxx Gcc12Host = new("/simulated/gcc12/libstdc++.so.6",
        Enumerable.Range(0, 31).Select(n => n == 0 ? "GLIBCXX_3.4" : $"GLIBCXX_3.4.{n}").ToArray());

    /// <summary>A host like Ubuntu 24.04 (GCC 13's libstdc++: up to GLIBCXX_3.4.32).</summary>
    public static readonly HostLibStdCxx Gcc13Host = new("/simulated/gcc13/libstdc++.so.6",
        Enumerable.Range(0, 33).Select(n => n == 0 ? "GLIBCXX_3.4" : $"GLIBCXX_3.4.{n}").ToArray());

    public OriginalLibTorchSharp()
    {
        Directory = Path.Combine(Path.GetTempPath(), "dlcourse-compat-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        LibraryPath = Path.Combine(Directory, TorchSharpNative.LinuxFileName);
        File.WriteAllBytes(LibraryPath, OriginalBytes.Value);
        File.SetUnixFileMode(LibraryPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                           | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        // libLibTorchSharp.so finds libtorch.so, libc10.so, libtorch_cpu.so through RUNPATH $ORIGIN.
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        foreach (var dependency in System.IO.Directory.GetFiles(native))
        {
            var name = Path.GetFileName(dependency);
            if (name != TorchSharpNative.LinuxFileName)
                File.CreateSymbolicLink(Path.Combine(Directory, name), dependency);
        }
    }

    public string Directory { get; }

    public string LibraryPath { get; }

    public static string Sha256(string path) => LibTorchSharpCompat.Sha256Hex(File.ReadAllBytes(path));

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

    private static readonly Lazy<byte[]> OriginalBytes = new(() =>
    {
        var nupkg = Path.Combine(TorchSharpNativeTestPaths.NuGetPackages, "torchsharp", "0.107.0", "torchsharp.0.107.0.nupkg");
        using var zip = ZipFile.OpenRead(nupkg);
        var entry = zip.GetEntry("runtimes/linux-x64/native/libLibTorchSharp.so")
                    ?? throw new InvalidOperationException($"{nupkg} has no linux-x64 libLibTorchSharp.so");
        using var stream = entry.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        Assert.Equal(OriginalSha256, LibTorchSharpCompat.Sha256Hex(bytes));
        return bytes;
    });
}

internal static class TorchSharpNativeTestPaths
{
    public static string NuGetPackages => TorchSharpNative.NuGetPackagesFolder();
}
