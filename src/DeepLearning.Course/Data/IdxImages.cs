namespace DeepLearning.Course.Data;

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
