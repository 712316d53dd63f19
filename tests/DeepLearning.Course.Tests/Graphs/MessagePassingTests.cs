using DeepLearning.Course.Graphs;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Graphs;

public class MessagePassingTests
{
    [Fact]
    public void Node_by_node_message_passing_equals_the_matrix_product_dense_and_sparse()
    {
        // Given a random graph of 40 nodes and 5 features per node
        manual_seed(0);
        var pairs = randint(0, 40, [2, 120]);
        using var edges = cat([pairs, pairs.flip(0)], 1);                 // both directions
        using var aHat = Adjacency.Normalized(Adjacency.Dense(edges, 40));
        using var aHatSparse = Adjacency.NormalizedSparse(edges, 40);
        using var x = randn(40, 5);

        // When one round is computed node by node, as one dense product and as one sparse product
        using var byNode = MessagePassing.NodeByNode(aHat, x);
        using var dense = MessagePassing.Matrix(aHat, x);
        using var sparse = MessagePassing.Matrix(aHatSparse, x);

        // Then all three agree
        Assert.True(byNode.allclose(dense, rtol: 1e-5, atol: 1e-5));
        Assert.True(sparse.allclose(dense, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void With_one_hot_features_a_round_returns_the_normalised_adjacency_itself()
    {
        // Given the four-node graph and the identity as features (node i's feature is "I am node i")
        using var aHat = Adjacency.Normalized(Adjacency.Dense(AdjacencyTests.FourNodes(), 4));
        // When one round passes the messages / Then row i lists how much of each node reached i: Â
        using var h = MessagePassing.NodeByNode(aHat, eye(4));
        Assert.True(h.allclose(aHat));
    }
}
