using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Graphs;

/// <summary>
/// One round of message passing, <c>h_i = Σ_j Â[i, j] x_j</c>: every node sums its neighbours' feature vectors,
/// each weighted by the normalised adjacency. Written twice, node by node (what the formula says) and as one
/// matrix product (what a GCN layer computes), so the chapter can check that they agree.
/// </summary>
/// <remarks>Introduced in chapter 11 (graph neural networks).</remarks>
public static class MessagePassing
{
    /// <summary>
    /// Node by node: for each node i, start from zero and add <c>Â[i, j] · x_j</c> for each j with <c>Â[i, j] ≠ 0</c>
    /// (its neighbours, and itself when Â has self-loops). Slow (a C# loop over nodes and edges); for checking only.
    /// </summary>
    /// <param name="normalizedAdjacency">float32 [N, N] dense, e.g. <see cref="Adjacency.Normalized"/>.</param>
    /// <param name="x">float32 [N, F] node features.</param>
    /// <returns>float32 [N, F].</returns>
    public static Tensor NodeByNode(Tensor normalizedAdjacency, Tensor x)
    {
        var n = (int)x.shape[0];
        var f = (int)x.shape[1];
        var a = normalizedAdjacency.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var features = x.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var h = new float[n * f];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var weight = a[i * n + j];
                if (weight == 0) continue;              // not a neighbour
                for (var k = 0; k < f; k++)
                    h[i * f + k] += weight * features[j * f + k]; // the message from j, weighted
            }
        }
        return tensor(h, [n, f]);
    }

    /// <summary>All nodes at once: <c>H = Â X</c>, one matrix product (dense or <c>torch.sparse</c> Â).</summary>
    /// <param name="normalizedAdjacency">float32 [N, N], dense or sparse COO.</param>
    /// <param name="x">float32 [N, F].</param>
    /// <returns>float32 [N, F].</returns>
    public static Tensor Matrix(Tensor normalizedAdjacency, Tensor x) => ShapeChecks.MatMul(normalizedAdjacency, x, "message passing (Â by X)");
}
