using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Data;

/// <summary>Lists of English first names for character-level language models.</summary>
/// <param name="Female">Female names, in file order.</param>
/// <param name="Male">Male names, in file order.</param>
/// <remarks>Introduced in chapter 04 (RNN: generating names character by character).</remarks>
public sealed record NamesCorpus(IReadOnlyList<string> Female, IReadOnlyList<string> Male)
{
    /// <summary>All distinct names (female then male, duplicates removed), so splits of it never share a name.</summary>
    public IReadOnlyList<string> All { get; } = Female.Concat(Male).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Loads the names (committed under <c>datasets/names</c>; else the cache or a download).</summary>
    /// <param name="path">Folder holding <c>female.txt</c> and <c>male.txt</c> (optional).</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The corpus.</returns>
    public static NamesCorpus Load(string? path = null, DatasetLocator? locator = null)
    {
        var location = (locator ?? new DatasetLocator()).Locate(DatasetCatalog.Names, path);
        static string[] Read(string p) => File.ReadAllLines(p).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        return new NamesCorpus(Read(location.PathOf("female.txt")), Read(location.PathOf("male.txt")));
    }

    /// <summary>Seeded, disjoint train/validation/test lists drawn from <see cref="All"/>.</summary>
    /// <param name="validationFraction">Fraction for validation.</param>
    /// <param name="testFraction">Fraction for test.</param>
    /// <param name="seed">Seed of the split.</param>
    /// <returns>Three lists with no name in common.</returns>
    public (string[] Train, string[] Validation, string[] Test) Split(double validationFraction = 0.1, double testFraction = 0.1, int seed = 0)
    {
        var (train, val, test) = Splits.Partition(All.Count, validationFraction, testFraction, seed);
        return (train.Select(i => All[i]).ToArray(), val.Select(i => All[i]).ToArray(), test.Select(i => All[i]).ToArray());
    }
}
