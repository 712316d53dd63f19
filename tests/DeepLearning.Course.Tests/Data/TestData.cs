using System.Security.Cryptography;
using DeepLearning.Course.Data;

namespace DeepLearning.Course.Tests.Data;

/// <summary>Helpers shared by the data tests: temp folders, checksums, and where CI's installed datasets are.</summary>
internal static class TestData
{
    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dlcourse-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Options that look only in <paramref name="cacheRoot"/> (and optional repository folder), downloading from <paramref name="mirror"/>.</summary>
    public static DatasetLocatorOptions Isolated(string cacheRoot, string? mirror = null, string? repository = null, List<DownloadProgress>? progress = null) => new()
    {
        CacheRoot = cacheRoot,
        UseEnvironmentVariable = false,
        RepositoryDatasets = repository,
        UseSystemDirectories = false,
        Mirror = mirror,
        AllowDownload = mirror is not null,
        Progress = progress is null ? _ => { } : p => { lock (progress) progress.Add(p); },
    };

    /// <summary>Locator for installed datasets: environment, repository, system folders, DLCOURSE_DATA_DIRS; never downloads.</summary>
    public static DatasetLocator Installed() => new(DatasetLocatorOptions.FromEnvironment() with { AllowDownload = false });

    /// <summary>Locates an installed dataset or fails the test with a message naming the package CI must install.</summary>
    public static DatasetLocation RequireInstalled(DatasetSpec spec, string package)
    {
        try
        {
            return Installed().Locate(spec);
        }
        catch (DatasetNotFoundException ex)
        {
            Assert.Fail($"This test needs the dataset '{spec.Name}', which CI provides through {package}. {ex.Message}");
            throw;
        }
    }

    /// <summary>The MovieLens 100k files (never committed): ml-100k/ in a folder of $DLCOURSE_DATA_DIRS.</summary>
    public static string RequireMovieLensFolder()
    {
        var candidates = DatasetPaths.ExtraDataDirectories.Select(d => Path.Combine(d, "ml-100k")).ToList();
        var found = candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "u.data")));
        Assert.True(found is not null,
            $"This test needs the MovieLens 100k files (u.data, u.item, u.user, u.genre). Set {DatasetPaths.DataDirsVariable} to a folder holding ml-100k/ (CI sets it). Looked in: {string.Join(", ", candidates)}");
        return found!;
    }
}
