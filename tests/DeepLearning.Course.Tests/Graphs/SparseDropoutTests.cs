using DeepLearning.Course.Graphs;
using DeepLearning.Course.Models;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Graphs;

public class SparseDropoutTests
{
    [Fact]
    public void Sparse_dropout_keeps_zeros_and_scales_the_kept_values_like_dense_dropout()
    {
        // Given a sparse 50 x 40 matrix of ones on about a tenth of its entries
        manual_seed(0);
        using var dense = (rand(50, 40) < 0.1).to(ScalarType.Float32);
        using var sparse = dense.to_sparse();
        // When sparse dropout with p = 0.5 runs in training mode
        using var dropped = SparseDropout.Apply(sparse, 0.5, training: true);
        using var back = dropped.to_dense();
        // Then the result is sparse, zeros stay zero, every kept value is 1 / (1 - p) = 2, and about half are kept
        Assert.True(dropped.is_sparse);
        Assert.Equal(0, back.masked_select(dense.eq(0)).abs().sum().item<float>());
        using var survivors = back.masked_select(dense.eq(1));
        Assert.True(survivors.eq(0).logical_or(survivors.eq(2)).all().item<bool>());
        var keptFraction = survivors.eq(2).to(ScalarType.Float32).mean().item<float>();
        Assert.InRange(keptFraction, 0.35, 0.65);
    }

    [Fact]
    public void Outside_training_sparse_and_dense_features_give_the_same_GCN_and_GAT_outputs()
    {
        // Given a GCN and a GAT on the four-node graph and features with zeros
        manual_seed(2);
        using var aHat = Adjacency.NormalizedSparse(AdjacencyTests.FourNodes(), 4);
        using var gcn = new Gcn(new GcnConfig(6, 3), aHat);
        using var gat = new Gat(new GatConfig(6, 3), AdjacencyTests.FourNodes(), 4);
        using var x = rand(4, 6) * (rand(4, 6) < 0.5).to(ScalarType.Float32);
        using var xs = x.to_sparse();
        gcn.eval();
        gat.eval();
        // When each runs on the dense and on the sparse copy / Then the logits agree
        using (no_grad())
        {
            Assert.True(gcn.call(x).allclose(gcn.call(xs), rtol: 1e-5, atol: 1e-6));
            Assert.True(gat.call(x).allclose(gat.call(xs), rtol: 1e-5, atol: 1e-6));
        }
    }
}
