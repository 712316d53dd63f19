using static TorchSharp.torch;

namespace DeepLearning.Course.Tests;

/// <summary>Small synthetic problems for tests (the real datasets belong to the data tests).</summary>
internal static class Synthetic
{
    /// <summary>y = X w + b + noise, as fixed batches created outside any dispose scope.</summary>
    public static List<(Tensor X, Tensor y)> Regression(int n = 256, int features = 3, int batchSize = 32, int seed = 0)
    {
        manual_seed(seed);
        var X = randn(n, features);
        var w = tensor(Enumerable.Range(1, features).Select(i => (float)i).ToArray()).reshape(features, 1);
        var y = X.matmul(w) + 0.5f + 0.01f * randn(n, 1);
        return Batches(X, y, batchSize);
    }

    /// <summary>Three Gaussian blobs in 2-D, labelled 0, 1, 2.</summary>
    public static List<(Tensor X, Tensor y)> Blobs(int n = 300, int batchSize = 30, int seed = 0)
    {
        manual_seed(seed);
        var labels = arange(n, dtype: ScalarType.Int64) % 3;
        var centers = tensor(new float[,] { { 0, 3 }, { 3, -2 }, { -3, -2 } });
        var X = centers.index_select(0, labels) + 0.5f * randn(n, 2);
        return Batches(X, labels, batchSize);
    }

    /// <summary>A lazily generated source: every enumeration creates fresh batch tensors (like a shuffling loader).</summary>
    public static IEnumerable<(Tensor X, Tensor y)> Lazy(Tensor X, Tensor y, int batchSize)
    {
        var perm = randperm(X.shape[0]); // a per-epoch tensor that must live across batches
        for (long i = 0; i < X.shape[0]; i += batchSize)
        {
            var idx = perm.narrow(0, i, Math.Min(batchSize, X.shape[0] - i));
            yield return (X.index_select(0, idx), y.index_select(0, idx));
        }
    }

    public static List<(Tensor X, Tensor y)> Batches(Tensor X, Tensor y, int batchSize)
    {
        var batches = new List<(Tensor, Tensor)>();
        for (long i = 0; i < X.shape[0]; i += batchSize)
        {
            var len = Math.Min(batchSize, X.shape[0] - i);
            batches.Add((X.narrow(0, i, len), y.narrow(0, i, len)));
        }
        return batches;
    }
}
