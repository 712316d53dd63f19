using DeepLearning.Course.Data;
using DeepLearning.Course.Graphs;
using DeepLearning.Course.Models;
using DeepLearning.Course.Tests.Graphs;
using DeepLearning.Course.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Models;

public class GraphModelTests
{
    [Fact]
    public void A_graph_convolution_with_identity_weights_is_one_round_of_message_passing()
    {
        // Given a 3-to-3 graph convolution whose W is the identity (b is zero), on the four-node graph
        using var layer = new GraphConvolution(3, 3);
        using (no_grad()) layer.Weight.copy_(eye(3));
        using var aHat = Adjacency.Normalized(Adjacency.Dense(AdjacencyTests.FourNodes(), 4));
        using var x = arange(12, dtype: TorchSharp.torch.ScalarType.Float32).reshape(4, 3);
        // When it runs / Then it returns Â X
        using var h = layer.call(x, aHat);
        Assert.True(h.allclose(aHat.matmul(x), rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void A_GCN_has_the_paper_shape_and_puts_weight_decay_on_its_first_layer_only()
    {
        // Given the paper's GCN for 1,433 features and 7 classes on the four-node graph
        manual_seed(0);
        using var aHat = Adjacency.NormalizedSparse(AdjacencyTests.FourNodes(), 4);
        using var gcn = new Gcn(new GcnConfig(1_433, 7), aHat);
        // Then it has 1433*16 + 16 + 16*7 + 7 parameters, maps [4, 1433] to [4, 7], and embeds in 16 dimensions
        Assert.Equal(1_433 * 16 + 16 + 16 * 7 + 7, gcn.parameters().Sum(p => p.numel()));
        gcn.eval();
        using var x = rand(4, 1_433);
        Assert.Equal([4L, 7L], gcn.call(x).shape);
        Assert.Equal([4L, 16L], gcn.Embed(x).shape);
        // and its optimizer decays the first layer's two tensors by 5e-4 and the second layer's not at all
        using var optimizer = gcn.Optimizer()(gcn.parameters(), 0.01, 5e-4);
        var groups = optimizer.ParamGroups.Cast<Adam.ParamGroup>().Select(g => (Decay: ((Adam.Options)g.Options).weight_decay, Count: g.Parameters.Count())).ToArray();
        Assert.Equal([(5e-4, 2), (0.0, 2)], groups.Select(g => (g.Decay ?? double.NaN, g.Count)));
    }

    [Fact]
    public void Attention_coefficients_sum_to_one_over_each_nodes_incoming_edges()
    {
        // Given a 2-head attention layer on the four-node graph with self-loops
        manual_seed(1);
        using var edges = Adjacency.WithSelfLoops(AdjacencyTests.FourNodes(), 4);
        using var layer = new GraphAttention(5, 3, heads: 2);
        using var x = randn(4, 5);
        // When it runs
        using var h = layer.call(x, edges);
        // Then the heads are concatenated, and for each node and head the α of its incoming edges sum to one
        Assert.Equal([4L, 6L], h.shape);
        using var sums = zeros(4, 2).index_add(0, edges[1], layer.LastAttention!, 1.0);
        Assert.True(sums.allclose(ones(4, 2), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void With_zero_attention_vectors_a_node_averages_its_neighbourhood()
    {
        // Given a 1-head attention layer whose attention vectors are zero (all scores equal) and W the identity
        using var edges = Adjacency.WithSelfLoops(AdjacencyTests.FourNodes(), 4);
        using var layer = new GraphAttention(3, 3, heads: 1, concat: false);
        using (no_grad())
        {
            foreach (var (name, p) in layer.named_parameters())
            {
                if (name.Contains("weight")) p.copy_(eye(3));
                else p.zero_();
            }
        }
        using var x = randn(4, 3);
        // When it runs / Then node 3 (neighbours 2 and itself) gets the mean of x2 and x3
        using var h = layer.call(x, edges);
        Assert.True(h[3].allclose((x[2] + x[3]) / 2, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void A_GAT_has_the_paper_shape()
    {
        // Given the paper's Cora GAT: 8 heads of 8, one output head
        manual_seed(2);
        using var gat = new Gat(new GatConfig(1_433, 7), AdjacencyTests.FourNodes(), 4);
        // Then it has W (1433 x 64), a_src and a_dst (8 x 8 each), b (64), then W (64 x 7), a_src, a_dst (7 each), b (7)
        Assert.Equal(1_433 * 64 + 64 + 64 + 64 + 64 * 7 + 7 + 7 + 7, gat.parameters().Sum(p => p.numel()));
        gat.eval();
        Assert.Equal([4L, 7L], gat.call(rand(4, 1_433)).shape);
        Assert.Equal(8 + 4, gat.EdgeIndex.shape[1]);
    }

    [Fact]
    public void A_node_classifier_returns_the_inner_models_rows_for_the_nodes_asked()
    {
        // Given a GCN on the four-node graph wrapped with its features
        manual_seed(3);
        using var aHat = Adjacency.Normalized(Adjacency.Dense(AdjacencyTests.FourNodes(), 4));
        using var x = randn(4, 5);
        using var model = new NodeClassifier(new Gcn(new GcnConfig(5, 2), aHat), x);
        model.eval();
        // When asked for nodes 3 and 1 / Then it returns rows 3 and 1 of the full output
        using var all = model.AllLogits();
        using var picked = model.call(tensor(new long[] { 3, 1 }));
        Assert.True(picked.allclose(all.index_select(0, tensor(new long[] { 3, 1 }))));
    }

    [Fact]
    public void Disposing_a_model_leaves_the_graph_and_features_it_shares_with_other_models_alone()
    {
        // Given a GCN and a GAT sharing one Â and one feature matrix, each wrapped as a node classifier
        using var aHat = Adjacency.NormalizedSparse(AdjacencyTests.FourNodes(), 4);
        using var x = randn(4, 5);
        var gcn = new NodeClassifier(new Gcn(new GcnConfig(5, 2), aHat), x);
        var gat = new NodeClassifier(new Gat(new GatConfig(5, 2), AdjacencyTests.FourNodes(), 4), x);
        // Then neither holds them as buffers (checkpoints keep weights only)
        Assert.Empty(gcn.named_buffers());
        Assert.Empty(gat.named_buffers());
        // and after both are disposed the shared tensors are still usable
        gcn.Dispose();
        gat.Dispose();
        Assert.Equal([4L, 4L], aHat.to_dense().shape);
        Assert.Equal([4L, 5L], (x * 1).shape);
    }

    [Fact]
    public void A_GCN_trained_by_the_Trainer_on_two_labelled_members_splits_the_karate_club()
    {
        // Given the karate club, one-hot features, and only the two leaders labelled
        manual_seed(4);
        using var club = KarateClub.Load();
        using var aHat = Adjacency.Normalized(Adjacency.Dense(club.EdgeIndex, 34));
        using var model = new NodeClassifier(new Gcn(new GcnConfig(34, 2, Hidden: 16, Dropout: 0), aHat), eye(34));
        var leaders = tensor(new long[] { KarateClubData.Instructor, KarateClubData.Administrator });
        var others = arange(1, 33, dtype: TorchSharp.torch.ScalarType.Int64);
        var options = new TrainerOptions
        {
            Epochs = 100, LearningRate = 0.01, Optimizer = Optimizers.Adam(), Loss = Losses.CrossEntropy,
            Metrics = [Metric.Accuracy], ShowProgress = false, Device = CPU,
        };

        // When the Trainer fits the two labelled nodes, validating on the 32 others
        var history = new Trainer(options).Fit(model, [(leaders, club.Clubs.index_select(0, leaders))], [(others, club.Clubs.index_select(0, others))]);

        // Then the two training nodes are learned and most of the others follow their leader
        Assert.Equal(1.0, history.Last["train_accuracy"]);
        Assert.True(history.Last["valid_accuracy"] >= 0.8, $"karate club accuracy {history.Last["valid_accuracy"]}");
    }
}
