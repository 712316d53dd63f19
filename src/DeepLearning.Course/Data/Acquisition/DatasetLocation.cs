using System.IO.Compression;

namespace DeepLearning.Course.Data;

/// <summary>Which kind of place a dataset copy was found in.</summary>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public enum DatasetSource
{
    /// <summary>A path passed explicitly by the caller.</summary>
    ExplicitPath,

    /// <summary>The dataset's environment variable (e.g. <c>DLCOURSE_FASHION_MNIST</c>).</summary>
    EnvironmentVariable,

    /// <summary>The repository's <c>datasets/</c> folder.</summary>
    Repository,

    /// <summary>A folder an operating-system package installs (e.g. Debian's <c>/usr/share/datasets</c>).</summary>
    System,

    /// <summary>A folder named by <c>DLCOURSE_DATA_DIRS</c>.</summary>
    SearchPath,

    /// <summary>The user cache (already downloaded earlier).</summary>
    Cache,

    /// <summary>Downloaded just now into the user cache.</summary>
    Download,
}

/// <summary>A verified, complete copy of a dataset: the folder and the path of each declared file.</summary>
/// <param name="Spec">The dataset.</param>
/// <param name="Directory">The folder holding the files.</param>
/// <param name="Source">Which kind of place it is.</param>
/// <param name="Files">Declared file name to the actual path (which may be a decompressed copy without <c>.gz</c>).</param>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public sealed record DatasetLocation(
    DatasetSpec Spec,
    string Directory,
    DatasetSource Source,
    IReadOnlyDictionary<string, string> Files)
{
    /// <summary>The actual path of a declared file.</summary>
    /// <param name="name">The declared file name.</param>
    /// <returns>The path on disk.</returns>
    public string PathOf(string name) =>
        Files.TryGetValue(name, out var path)
            ? path
            : throw new ArgumentException($"Dataset '{Spec.Name}' declares no file named '{name}'.", nameof(name));

    /// <summary>Opens a declared file's content for reading, decompressing it when it is stored gzip-compressed.</summary>
    /// <param name="name">The declared file name.</param>
    /// <returns>A readable stream of the (decompressed) content.</returns>
    public Stream OpenContent(string name) => OpenMaybeGzip(PathOf(name));

    /// <summary>Reads a declared file's whole (decompressed) content.</summary>
    /// <param name="name">The declared file name.</param>
    /// <returns>The bytes.</returns>
    public byte[] ReadAllBytes(string name)
    {
        using var stream = OpenContent(name);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Opens a file, transparently decompressing it if it starts with the gzip magic bytes.</summary>
    /// <param name="path">The file.</param>
    /// <returns>A readable stream of the content.</returns>
    public static Stream OpenMaybeGzip(string path)
    {
        var file = System.IO.File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var n = file.Read(magic);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Spec.Name} ({Source}: {Directory})";
}
