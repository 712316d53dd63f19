using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DeepLearning.Course.Platform;

/// <summary>
/// Keeps a system-wide libtorch (Debian's <c>libtorch-dev</c>, PyTorch 1.13) from shadowing TorchSharp's own in hosts
/// that resolve native libraries by name, such as Microsoft's .NET Interactive kernel.
/// </summary>
/// <remarks>
/// <para>TorchSharp first loads <c>torch_cpu</c> by name. In .NET Interactive that name reaches the dynamic linker
/// before the kernel's NuGet resolver, so when <c>libtorch-dev</c> has put the unversioned
/// <c>/usr/lib/x86_64-linux-gnu/libtorch_cpu.so</c> on the linker's path (Debian's <c>python3-torch</c> recommends it),
/// the 1.13 library loads, and <c>libLibTorchSharp.so</c>, whose <c>NEEDED</c> entries name <c>libtorch_cpu.so</c>,
/// <c>libtorch.so</c> and <c>libc10.so</c>, is bound to it and fails: "TorchSharp ... doesn't contain a reference to
/// libtorch-cpu-linux-x64". The course's runner and kernel are not affected (the engine loads a package's native
/// files by full path). Loading the package's own copies by full path first fixes it: the linker then finds
/// those names already loaded.</para>
/// <para>The library's <c>Course.Setup</c> calls <see cref="PreferPackageCopies"/> (through <see cref="NativeHost.Prepare"/>) before the first tensor; <c>doctor</c>
/// reports <see cref="ShadowingCopies"/>. Notebooks that do not use the course's setup fix it by removing the
/// package (<c>apt-get remove libtorch-dev</c>; <c>python3-torch</c> does not need it).</para>
/// </remarks>
public static class SystemLibTorch
{
    /// <summary>The libtorch release TorchSharp-cpu 0.107.0 is built on (its <c>libtorch-cpu-linux-x64</c> package).</summary>
    public const string PackageVersion = "2.10.0";

    /// <summary>The names <c>libLibTorchSharp.so</c> needs, in dependency order.</summary>
    private static readonly string[] Names = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    /// <summary>
    /// System copies of libtorch the dynamic linker would find by name (<c>ldconfig</c>'s cache and
    /// <c>LD_LIBRARY_PATH</c>): what shadows TorchSharp's libtorch in hosts that load it by name. Empty off Linux.
    /// </summary>
    /// <returns>Full paths.</returns>
    public static IReadOnlyList<string> ShadowingCopies()
    {
        if (!OperatingSystem.IsLinux()) return [];
        var found = new List<string>();
        foreach (var dir in (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            found.AddRange(Names.Select(n => Path.Combine(dir, n)).Where(File.Exists));
        foreach (var line in LdconfigCache())
        {
            // "	libtorch_cpu.so (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libtorch_cpu.so"
            var name = line.Trim().Split(' ')[0];
            var arrow = line.IndexOf("=> ", StringComparison.Ordinal);
            if (Names.Contains(name) && arrow > 0) found.Add(line[(arrow + 3)..].Trim());
        }
        return [.. found.Distinct()];
    }

    /// <summary>
    /// When a system libtorch would shadow TorchSharp's and no libtorch is loaded yet, loads the package's own
    /// <c>libc10.so</c>, <c>libtorch_cpu.so</c> and <c>libtorch.so</c> by full path. Call before the first tensor.
    /// </summary>
    /// <returns>A sentence saying what was done, or an empty string when nothing was needed.</returns>
    public static string PreferPackageCopies()
    {
        if (!OperatingSystem.IsLinux() || IsLoaded("libtorch_cpu.so")) return "";
        var shadowing = ShadowingCopies();
        if (shadowing.Count == 0) return "";
        var folder = PackageFolders().FirstOrDefault(d => Names.All(n => File.Exists(Path.Combine(d, n))));
        if (folder is null)
            return $"A system libtorch ({string.Join(", ", shadowing)}) may shadow TorchSharp's, and TorchSharp's own copy was not found; " +
                   "if TorchSharp fails to load, remove it (sudo apt-get remove libtorch-dev).";
        foreach (var name in Names)
            NativeLibrary.Load(Path.Combine(folder, name));
        return "";
    }

    /// <summary>Folders that may hold TorchSharp's libtorch: the host's native search directories, this program's folder, the NuGet package.</summary>
    private static IEnumerable<string> PackageFolders()
    {
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
            foreach (var dir in searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                yield return dir;
        yield return AppContext.BaseDirectory;
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        yield return Path.Combine(TorchSharpNative.NuGetPackagesFolder(), "libtorch-cpu-linux-x64", PackageVersion, "runtimes", "linux-x64", "native");
    }

    /// <summary>True when a library of that file name is mapped into this process.</summary>
    private static bool IsLoaded(string fileName)
    {
        try
        {
            return File.ReadLines("/proc/self/maps").Any(l => l.EndsWith("/" + fileName, StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static IEnumerable<string> LdconfigCache()
    {
        foreach (var ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig" }.Where(File.Exists))
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, UseShellExecute = false })!;
                var output = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                return output.Split('\n');
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }
        return [];
    }
}
