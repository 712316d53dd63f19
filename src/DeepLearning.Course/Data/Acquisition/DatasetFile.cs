namespace DeepLearning.Course.Data;

/// <summary>One file of a dataset as it lies in a dataset folder, with its checksums.</summary>
/// <param name="Name">File name inside the dataset folder, as downloaded (e.g. <c>train-images-idx3-ubyte.gz</c>).</param>
/// <param name="Sha256">SHA-256 of the file's bytes as published, or <see langword="null"/> when only the content is pinned.</param>
/// <param name="ContentSha256">
/// For a <c>.gz</c> file: SHA-256 of the decompressed content. Redistributors (Debian) recompress files,
/// so the gzip bytes can differ while the content is identical; this checksum accepts such copies,
/// and also an already decompressed copy named without <c>.gz</c>.
/// </param>
/// <remarks>Introduced in chapter 01 (basics).</remarks>
public sealed record DatasetFile(string Name, string? Sha256 = null, string? ContentSha256 = null)
{
    /// <summary>The name of a decompressed copy (<see cref="Name"/> without <c>.gz</c>), or <see langword="null"/>.</summary>
    public string? DecompressedName =>
        Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Name[..^3] : null;
}
