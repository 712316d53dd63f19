using DeepLearning.Course.Models;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Hardening;

/// <summary>
/// TorchSharp 0.107's native matmul does not catch libtorch's exception: a shape mismatch aborts the
/// process instead of throwing. The library checks shapes before each of its matmul calls, so these
/// tests would take the test host down if a guard were missing.
/// </summary>
[Collection("Hardening")]
public sealed class NativeShapeGuardTests
{
    /// <summary>Shape pairs with whether torch.matmul accepts them (generated: 1-D to 4-D, inner sizes equal or not, batch sizes broadcastable or not).</summary>
    public static IEnumerable<(long[] A, long[] B, bool Ok)> Pairs()
    {
        foreach (var inner in new[] { (3L, 3L), (3L, 4L) })
        {
            var ok = inner.Item1 == inner.Item2;
            yield return ([inner.Item1], [inner.Item2], ok);
            yield return ([2, inner.Item1], [inner.Item2], ok);
            yield return ([inner.Item1], [inner.Item2, 5], ok);
            yield return ([2, inner.Item1], [inner.Item2, 5], ok);
            foreach (var (x, y) in new[] { (1L, 1L), (2L, 2L), (1L, 6L), (6L, 1L), (2L, 6L), (6L, 2L) })
            {
                var batchOk = x == y || x == 1 || y == 1;
                yield return ([x, 2, inner.Item1], [y, inner.Item2, 5], ok && batchOk);
                yield return ([7, x, 2, inner.Item1], [y, inner.Item2, 5], ok && batchOk);
                yield return ([x, 2, inner.Item1], [inner.Item2, 5], ok);
                yield return ([2, inner.Item1], [x, inner.Item2, 5], ok);
                yield return ([x, 2, inner.Item1], [inner.Item2], ok);
            }
        }
        yield return ([], [3], false);
    }

    [Fact]
    public void The_matmul_check_accepts_exactly_the_shapes_libtorch_multiplies()
    {
        var tried = 0;
        foreach (var (a, b, ok) in Pairs())
        {
            // Given two tensors of generated shapes
            using var x = a.Length == 0 ? tensor(1f) : ones(a);
            using var y = ones(b);
            if (ok)
            {
                // When they can be multiplied, Then the checked product equals einsum-free broadcasting matmul's shape
                using var product = ShapeChecks.MatMul(x, y, "test");
                Assert.True(product.numel() > 0);
            }
            else
            {
                // When they cannot, Then an ArgumentException names both shapes instead of the process aborting
                var error = Assert.Throws<ArgumentException>(() => ShapeChecks.MatMul(x, y, "test"));
                Assert.Contains(ShapeChecks.Format(a), error.Message);
                Assert.Contains(ShapeChecks.Format(b), error.Message);
            }
            tried++;
        }
        Assert.True(tried >= 60, $"{tried} shape pairs");
    }

    [Fact]
    public void Attention_with_mismatched_shapes_throws_naming_them()
    {
        // Given queries of width 8 and keys of width 4 (the matmul inside would abort the process)
        using var q = randn(2, 5, 8);
        using var k = randn(2, 5, 4);
        using var v = randn(2, 5, 4);

        // When attention is computed, Then a clear ArgumentException names the three shapes
        var error = Assert.Throws<ArgumentException>(() => Attention.ScaledDotProduct(q, k, v));
        Assert.Contains("query [2, 5, 8], key [2, 5, 4], value [2, 5, 4]", error.Message);
        using var v6 = randn(2, 6, 4);
        Assert.Throws<ArgumentException>(() => Attention.ScaledDotProduct(k, k, v6));
    }

    [Fact]
    public void Multi_head_attention_with_the_wrong_width_or_no_batch_dimension_throws_clearly()
    {
        // Given a 16-wide module with capture on (the written-out path, with matmul)
        var attention = new MultiHeadAttention(16, 4) { CaptureWeights = true };
        using var wide = randn(2, 5, 12);
        using var unbatched = randn(5, 16);
        using var good = randn(2, 5, 16);
        using var otherBatch = randn(3, 5, 16);

        // When it is called with the wrong width, without a batch dimension, or with two batch sizes
        // Then each is an ArgumentException that says what it needs
        Assert.Contains("needs x (B, Tq, 16)", Assert.Throws<ArgumentException>(() => attention.call(wide, wide)).Message);
        Assert.Contains("unsqueeze(0)", Assert.Throws<ArgumentException>(() => attention.call(unbatched, unbatched)).Message);
        Assert.Throws<ArgumentException>(() => attention.call(good, otherBatch));
        using var y = attention.call(good, good);
        Assert.Equal([2L, 5, 16], y.shape);
    }
}
