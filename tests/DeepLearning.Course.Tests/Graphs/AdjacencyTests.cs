using DeepLearning.Course.Graphs;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Graphs;

public class AdjacencyTests
{
    /// <summary>A triangle 0-1-2 with a tail 2-3, each edge in both directions.</summary>
    internal static Tensor FourNodes() => tensor(new long[] { 0, 1, 0, 2, 1, 2, 2, 3, 1, 0, 2, 0, 2, 1, 3, 2 }, [2, 8]);

    [Fact]
    public void The_adjacency_matrix_of_a_four_node_graph_is_symmetric_with_its_degrees_on_the_rows()
    {
        // Given the triangle with a tail / When its dense adjacency and degrees are built
        using var a = Adjacency.Dense(FourNodes(), 4);
        // Then A has a one for each edge, both ways, and the degrees are 2, 2, 3, 1
        using var expected = tensor(new float[] { 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0 }, [4, 4]);
        Assert.True(a.allclose(expected, rtol: 0, atol: 0));
        Assert.Equal([2f, 2, 3, 1], Adjacency.Degree(a).data<float>().ToArray());
    }

    [Fact]
    public void The_symmetric_normalisation_gives_one_over_the_root_of_both_degrees_with_self_loops()
    {
        // Given the triangle with a tail, whose degrees with self-loops are 3, 3, 4, 2
        using var a = Adjacency.Dense(FourNodes(), 4);
        // When normalised: D^-1/2 (A + I) D^-1/2
        using var aHat = Adjacency.Normalized(a);
        // Then each entry is 1 / sqrt(d_i d_j) where i and j are neighbours or i = j, and 0 elsewhere
        float Entry(double di, double dj) => (float)(1 / Math.Sqrt(di * dj));
        using var expected = tensor(new[]
        {
            Entry(3, 3), Entry(3, 3), Entry(3, 4), 0,
            Entry(3, 3), Entry(3, 3), Entry(3, 4), 0,
            Entry(4, 3), Entry(4, 3), Entry(4, 4), Entry(4, 2),
            0, 0, Entry(2, 4), Entry(2, 2),
        }, [4, 4]);
        Assert.True(aHat.allclose(expected, rtol: 0, atol: 1e-6));
        Assert.True(aHat.allclose(aHat.t()));
    }

    [Fact]
    public void The_sparse_normalisation_equals_the_dense_one_and_ignores_duplicate_edges()
    {
        // Given the triangle with a tail listed once, and again with its first edge repeated
        using var edges = FourNodes();
        using var repeated = cat([edges, edges[.., ..2]], 1);
        // When normalised as a torch.sparse matrix
        using var sparse = Adjacency.NormalizedSparse(repeated, 4);
        using var dense = Adjacency.Normalized(Adjacency.Dense(edges, 4));
        // Then it holds 8 edges + 4 self-loops and equals the dense matrix
        Assert.True(sparse.is_sparse);
        Assert.Equal(12, sparse.SparseValues.shape[0]);
        Assert.True(sparse.to_dense().allclose(dense, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void A_self_loop_in_the_file_adds_to_the_identity_as_in_the_GCN_code()
    {
        // Given a 2-node graph with an edge and a self-loop on node 0
        using var edges = tensor(new long[] { 0, 1, 0, 1, 0, 0 }, [2, 3]);
        // When normalised dense and sparse
        using var dense = Adjacency.Normalized(Adjacency.Dense(edges, 2));
        using var sparse = Adjacency.NormalizedSparse(edges, 2);
        // Then node 0's diagonal is 2 (listed loop + I) over its degree 3: 2/3
        Assert.Equal(2f / 3, dense[0, 0].item<float>(), 6);
        Assert.True(sparse.to_dense().allclose(dense, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Self_loops_are_replaced_by_exactly_one_per_node()
    {
        // Given an edge list with one self-loop
        using var edges = tensor(new long[] { 0, 1, 1, 1, 0, 1 }, [2, 3]);
        // When self-loops are added for 3 nodes
        using var withLoops = Adjacency.WithSelfLoops(edges, 3);
        // Then the old loop is gone and each node has one
        Assert.Equal(new long[] { 0, 1, 0, 1, 2, 1, 0, 0, 1, 2 }, withLoops.data<long>().ToArray());
    }
}
