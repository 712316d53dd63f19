using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Graphs;

/// <summary>
/// A graph as tensors: from an edge list (<c>edgeIndex</c>, int64 <c>[2, E]</c>, row 0 the source and row 1 the
/// target of each directed edge; an undirected graph lists each edge in both directions) to the adjacency matrix,
/// node degrees, self-loops, and the symmetric normalisation <c>D^-1/2 (A + I) D^-1/2</c> of Kipf &amp; Welling (2017),
/// dense or as a <c>torch.sparse</c> COO matrix.
/// </summary>
/// <remarks>Introduced in chapter 11 (graph neural networks).</remarks>
public static class Adjacency
{
    /// <summary>The dense adjacency matrix: <c>A[source, target] = 1</c> (or the edge's weight) for each edge.</summary>
    /// <param name="edgeIndex">int64 [2, E]: sources in row 0, targets in row 1.</param>
    /// <param name="numNodes">Number of nodes N.</param>
    /// <param name="weights">float32 [E] edge weights (default: 1 for every edge).</param>
    /// <returns>float32 [N, N] with <c>A[source, target]</c> set; a duplicate edge counts once.</returns>
    public static Tensor Dense(Tensor edgeIndex, int numNodes, Tensor? weights = null)
    {
        CheckEdges(edgeIndex, numNodes);
        using var scope = NewDisposeScope();
        var a = zeros(numNodes, numNodes);
        var values = weights ?? ones(edgeIndex.shape[1]);
        a.index_put_(values.to_type(ScalarType.Float32), edgeIndex[0], edgeIndex[1]);
        return a.MoveToOuterDisposeScope();
    }

    /// <summary>Adds a self-loop to every node: <c>A + I</c>.</summary>
    /// <param name="adjacency">float32 [N, N].</param>
    /// <returns>A new matrix.</returns>
    public static Tensor AddSelfLoops(Tensor adjacency) =>
        adjacency + eye(adjacency.shape[0], dtype: adjacency.dtype);

    /// <summary>Degrees: the row sums of a dense adjacency matrix (how many neighbours each node has).</summary>
    /// <param name="adjacency">float32 [N, N].</param>
    /// <returns>float32 [N].</returns>
    public static Tensor Degree(Tensor adjacency) => adjacency.sum(1);

    /// <summary>
    /// The GCN propagation matrix <c>Â = D̃^-1/2 Ã D̃^-1/2</c> with <c>Ã = A + I</c> and <c>D̃</c> its degrees, so that
    /// <c>Â[i, j] = 1 / sqrt(d̃_i d̃_j)</c> for each neighbour j of i (and i itself).
    /// </summary>
    /// <param name="adjacency">float32 [N, N] adjacency without the added self-loops (a self-loop already in it adds to the diagonal, as in the GCN code).</param>
    /// <param name="addSelfLoops">Add <c>I</c> first (default, as Kipf &amp; Welling's renormalisation trick).</param>
    /// <returns>float32 [N, N].</returns>
    public static Tensor Normalized(Tensor adjacency, bool addSelfLoops = true)
    {
        using var scope = NewDisposeScope();
        var a = addSelfLoops ? AddSelfLoops(adjacency) : adjacency;
        var dInvSqrt = Degree(a).pow(-0.5);
        dInvSqrt.masked_fill_(dInvSqrt.isinf(), 0); // an isolated node without self-loop: its row stays zero
        return (dInvSqrt.unsqueeze(1) * a * dInvSqrt.unsqueeze(0)) // D^-1/2 A D^-1/2, (N, N)
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Normalized(Tensor, bool)"/> of the graph <paramref name="edgeIndex"/> as a sparse COO matrix: the
    /// same values, stored only where there is an edge (or a self-loop), so <c>Â.matmul(H)</c> costs O(E·F) instead of O(N²·F).
    /// </summary>
    /// <param name="edgeIndex">int64 [2, E]: each undirected edge in both directions; duplicates count once.</param>
    /// <param name="numNodes">Number of nodes N.</param>
    /// <param name="addSelfLoops">Add <c>I</c> first (default).</param>
    /// <returns>A float32 sparse COO tensor [N, N], entries sorted by row then column.</returns>
    public static Tensor NormalizedSparse(Tensor edgeIndex, int numNodes, bool addSelfLoops = true)
    {
        CheckEdges(edgeIndex, numNodes);
        var flat = edgeIndex.contiguous().data<long>().ToArray();
        var e = flat.Length / 2;
        // Duplicates count once, as in the dense matrix; a listed self-loop plus I gives 2 on the diagonal, as dense.
        var entries = new SortedDictionary<(long Row, long Column), float>();
        for (var k = 0; k < e; k++) entries[(flat[k], flat[e + k])] = 1f;
        if (addSelfLoops)
        {
            for (long node = 0; node < numNodes; node++) entries[(node, node)] = entries.TryGetValue((node, node), out var listed) ? listed + 1f : 1f;
        }
        var degree = new double[numNodes];
        foreach (var ((row, _), value) in entries) degree[row] += value;
        var indices = new long[2 * entries.Count];
        var values = new float[entries.Count];
        var n = 0;
        foreach (var ((row, column), value) in entries)
        {
            indices[n] = row;
            indices[entries.Count + n] = column;
            values[n] = degree[row] > 0 && degree[column] > 0 ? (float)(value / Math.Sqrt(degree[row] * degree[column])) : 0f;
            n++;
        }
        using var indexTensor = tensor(indices, [2, entries.Count]);
        using var valueTensor = tensor(values);
        return sparse_coo_tensor(indexTensor, valueTensor, [numNodes, numNodes]);
    }

    /// <summary>Drops every self-loop <c>i → i</c> from an edge list.</summary>
    /// <param name="edgeIndex">int64 [2, E].</param>
    /// <returns>int64 [2, E'] with the other edges in their order.</returns>
    public static Tensor WithoutSelfLoops(Tensor edgeIndex)
    {
        using var scope = NewDisposeScope();
        var keep = edgeIndex[0].ne(edgeIndex[1]).nonzero().squeeze(1);
        return edgeIndex.index_select(1, keep).MoveToOuterDisposeScope();
    }

    /// <summary>Gives every node exactly one self-loop <c>i → i</c> (for attention over a node and its neighbours).</summary>
    /// <param name="edgeIndex">int64 [2, E] (self-loops already in it are dropped first).</param>
    /// <param name="numNodes">Number of nodes N.</param>
    /// <returns>int64 [2, E' + N]: the other edges, then <c>0 → 0</c>, …, <c>N-1 → N-1</c>.</returns>
    public static Tensor WithSelfLoops(Tensor edgeIndex, int numNodes)
    {
        CheckEdges(edgeIndex, numNodes);
        using var scope = NewDisposeScope();
        var self = arange(numNodes, dtype: ScalarType.Int64);
        return cat([WithoutSelfLoops(edgeIndex), stack([self, self])], 1).MoveToOuterDisposeScope();
    }

    private static void CheckEdges(Tensor edgeIndex, int numNodes)
    {
        if (edgeIndex.dim() != 2 || edgeIndex.shape[0] != 2 || edgeIndex.dtype != ScalarType.Int64)
            throw new ArgumentException($"edgeIndex must be int64 [2, E]; got {edgeIndex.dtype} [{string.Join(", ", edgeIndex.shape)}].", nameof(edgeIndex));
        if (edgeIndex.numel() > 0 && (edgeIndex.min().item<long>() < 0 || edgeIndex.max().item<long>() >= numNodes))
            throw new ArgumentException($"edgeIndex holds a node id outside 0..{numNodes - 1}.", nameof(edgeIndex));
    }
}
