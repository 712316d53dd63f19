using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Data;

/// <summary>A text cut into three contiguous, non-overlapping parts, with the character ranges each came from.</summary>
/// <param name="Train">First part.</param>
/// <param name="Validation">Middle part.</param>
/// <param name="Test">Last part.</param>
/// <param name="TrainRange">Character range of <paramref name="Train"/> in the source text.</param>
/// <param name="ValidationRange">Character range of <paramref name="Validation"/>.</param>
/// <param name="TestRange">Character range of <paramref name="Test"/>.</param>
/// <remarks>Introduced in chapter 04 (RNN language models on Moby Dick).</remarks>
public sealed record TextSplits(string Train, string Validation, string Test, Range TrainRange, Range ValidationRange, Range TestRange)
{
    /// <summary>
    /// Cuts <paramref name="text"/> into train (first), validation and test (last) parts by fractions of its
    /// length, moving each cut forward to the next line break so no line is split.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="validationFraction">Fraction for validation.</param>
    /// <param name="testFraction">Fraction for test.</param>
    /// <returns>The three parts.</returns>
    public static TextSplits Contiguous(string text, double validationFraction = 0.1, double testFraction = 0.1)
    {
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), "validation and test fractions must be >= 0 and sum to less than 1");
        int Cut(double at)
        {
            var i = (int)Math.Round(text.Length * at);
            var nl = text.IndexOf('\n', Math.Min(i, text.Length));
            return nl < 0 ? i : nl + 1;
        }
        var a = Cut(1 - validationFraction - testFraction);
        var b = Math.Max(a, Cut(1 - testFraction));
        return new TextSplits(text[..a], text[a..b], text[b..], ..a, a..b, b..);
    }
}

/// <summary>Next-token training pairs cut from an encoded text.</summary>
/// <remarks>Introduced in chapter 04 (RNN).</remarks>
public static class Sequences
{
    /// <summary>
    /// Cuts token indices into non-overlapping windows of <paramref name="length"/> inputs, each with the same
    /// window shifted one token ahead as targets: <c>X</c> int64 [N, length], <c>Y</c> int64 [N, length].
    /// </summary>
    /// <param name="tokens">Encoded text.</param>
    /// <param name="length">Steps per window.</param>
    /// <param name="stride">Distance between window starts (default: <paramref name="length"/>, i.e. no overlap).</param>
    /// <returns>Inputs and targets.</returns>
    public static (Tensor X, Tensor Y) NextToken(IReadOnlyList<int> tokens, int length, int? stride = null)
    {
        var step = stride ?? length;
        if (length < 1 || step < 1) throw new ArgumentOutOfRangeException(nameof(length), "length and stride must be at least 1");
        var starts = new List<int>();
        for (var s = 0; s + length < tokens.Count; s += step) starts.Add(s);
        var x = new long[starts.Count * length];
        var y = new long[starts.Count * length];
        for (var n = 0; n < starts.Count; n++)
        for (var t = 0; t < length; t++)
        {
            x[n * length + t] = tokens[starts[n] + t];
            y[n * length + t] = tokens[starts[n] + t + 1];
        }
        return (torch.tensor(x, [starts.Count, length]), torch.tensor(y, [starts.Count, length]));
    }
}

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
