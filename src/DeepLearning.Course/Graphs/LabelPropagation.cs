using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Graphs;

/// <summary>
/// Label propagation (Zhou et al. 2004, "Learning with local and global consistency"): no features, no
/// parameters; the known labels spread along the edges. Start from the one-hot labels <c>Y</c> of the labelled
/// nodes (zero rows elsewhere) and repeat <c>F ← α Â F + (1 - α) Y</c> with <c>Â = D^-1/2 A D^-1/2</c>; each node's
/// class is the arg-max of its row of F.
/// </summary>
/// <remarks>Introduced in chapter 11 (graph neural networks), the graph-only baseline of Kipf &amp; Welling's Table 2.</remarks>
public static class LabelPropagation
{
    /// <summary>Propagates the labels of <paramref name="labelledNodes"/> over the graph.</summary>
    /// <param name="edgeIndex">int64 [2, E], each undirected edge in both directions.</param>
    /// <param name="numNodes">Number of nodes N.</param>
    /// <param name="labels">int64 [N] classes (only the rows of <paramref name="labelledNodes"/> are read).</param>
    /// <param name="labelledNodes">int64 [L] the nodes whose labels are known.</param>
    /// <param name="numClasses">Number of classes C.</param>
    /// <param name="alpha">How much a node takes from its neighbours versus its own initial label (0..1).</param>
    /// <param name="iterations">Rounds of propagation.</param>
    /// <returns>float32 [N, C] scores; arg-max per row is the predicted class.</returns>
    public static Tensor Propagate(Tensor edgeIndex, int numNodes, Tensor labels, Tensor labelledNodes, int numClasses, double alpha = 0.9, int iterations = 50)
    {
        if (alpha is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(alpha), "alpha must be in [0, 1].");
        using var scope = NewDisposeScope();
        using var a = Adjacency.NormalizedSparse(Adjacency.WithoutSelfLoops(edgeIndex), numNodes, addSelfLoops: false);
        var y = zeros(numNodes, numClasses);
        y.index_put_(ones(labelledNodes.shape[0]), labelledNodes, labels.index_select(0, labelledNodes)); // one-hot rows
        var f = y.clone();
        for (var t = 0; t < iterations; t++)
            f = alpha * ShapeChecks.MatMul(a, f, "label propagation (Â by F)") + (1 - alpha) * y;   // spread, then pull back towards the known labels
        return f.MoveToOuterDisposeScope();
    }
}
