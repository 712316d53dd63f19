namespace DeepLearning.Course.Data;

/// <summary>The full text of Moby Dick.</summary>
/// <remarks>Introduced in chapter 04 (RNN language model) and used in chapter 05 (word embeddings).</remarks>
public static class MobyDick
{
    /// <summary>Loads the text (committed under <c>datasets/moby-dick</c>; else the cache or a download), with <c>\n</c> line ends.</summary>
    /// <param name="path">Folder holding <c>moby-dick.txt</c> (optional).</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The text.</returns>
    public static string Load(string? path = null, DatasetLocator? locator = null) =>
        File.ReadAllText((locator ?? new DatasetLocator()).Locate(DatasetCatalog.MobyDick, path).PathOf("moby-dick.txt")).Replace("\r\n", "\n");
}
