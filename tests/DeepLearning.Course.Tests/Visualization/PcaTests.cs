using DeepLearning.Course.Visualization;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Visualization;

public class PcaTests
{
    [Fact]
    public void Pca_recovers_the_direction_of_largest_variance()
    {
        // Given points spread widely along (1, 2, 2)/3 and narrowly elsewhere
        manual_seed(20);
        using var scope = NewDisposeScope();
        var direction = tensor(new float[] { 1, 2, 2 }) / 3;
        var X = randn(500, 1) * 5 * direction + 0.1f * randn(500, 3) + tensor(new float[] { 10, -3, 4 });
        // When two components are fitted
        using var pca = Pca.Fit(X, 2);
        // Then the first component is that direction (sign fixed: largest entry positive)
        var first = pca.Components[0];
        Assert.True((first - direction).abs().max().item<float>() < 0.02f, first.ToString(TorchSharp.TensorStringStyle.Numpy));
        // ... the variances are ordered, and projecting gives [N, 2] with ~zero mean
        var variance = pca.ExplainedVariance.data<float>().ToArray();
        Assert.True(variance[0] > 100 * variance[1]);
        var projected = pca.Transform(X);
        Assert.Equal([500L, 2L], projected.shape);
        Assert.True(projected.mean([0]).abs().max().item<float>() < 1e-3f);
    }
}
