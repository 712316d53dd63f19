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
