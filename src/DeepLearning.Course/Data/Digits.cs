namespace DeepLearning.Course.Data;

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
