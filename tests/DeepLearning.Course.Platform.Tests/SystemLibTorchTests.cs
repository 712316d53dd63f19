using DeepLearning.Course.Platform;
using TorchSharp;

namespace DeepLearning.Course.Platform.Tests;

/// <summary>A system libtorch (Debian's libtorch-dev) must not shadow TorchSharp's in hosts that load it by name.</summary>
[Collection("Console")] // changes LD_LIBRARY_PATH for the duration of a test
public class SystemLibTorchTests
{
    [Fact]
    public void The_package_version_is_the_libtorch_TorchSharp_runs_on()
    {
        // Given TorchSharp loaded in this process
        // When it reports its libtorch
        var loaded = string.Join('.', torch.__version__.Split('.', '+').Take(3));

        // Then the package folder the setup cell loads from is that release's
        Assert.Equal(SystemLibTorch.PackageVersion, loaded);
    }

    [LinuxFact]
    public void A_libtorch_on_LD_LIBRARY_PATH_is_reported_as_shadowing()
    {
        // Given a folder with a libtorch_cpu.so on LD_LIBRARY_PATH
        var folder = Directory.CreateTempSubdirectory("system-libtorch-").FullName;
        var library = Path.Combine(folder, "libtorch_cpu.so");
        File.WriteAllBytes(library, [0x7f, (byte)'E', (byte)'L', (byte)'F']);
        var previous = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        Environment.SetEnvironmentVariable("LD_LIBRARY_PATH", folder + (previous is null ? "" : ":" + previous));
        try
        {
            // When the shadowing copies are listed
            var copies = SystemLibTorch.ShadowingCopies();

            // Then that copy is among them
            Assert.Contains(library, copies);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LD_LIBRARY_PATH", previous);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Nothing_is_loaded_when_a_libtorch_is_already_loaded()
    {
        // Given TorchSharp's libtorch already loaded in this process
        using var x = torch.ones(1);

        // When the setup asks to prefer the package's copies
        // Then it does nothing and says nothing (loading a second libtorch would register every operator twice)
        Assert.Equal("", SystemLibTorch.PreferPackageCopies());
    }
}
