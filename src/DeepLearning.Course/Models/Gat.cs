using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of a <see cref="Gat"/> (defaults: Veličković et al. 2018 on Cora).</summary>
/// <param name="Inputs">Features per node.</param>
/// <param name="Outputs">Classes.</param>
/// <param name="Hidden">Features per head in the hidden layer (8).</param>
/// <param name="Heads">Heads in the hidden layer (8), concatenated: 64 features per node.</param>
/// <param name="OutputHeads">Heads in the output layer, averaged (1 for Cora and Citeseer; 8 for PubMed).</param>
/// <param name="Dropout">Dropout on each layer's input and on the attention coefficients (0.6).</param>
/// <remarks>Introduced in chapter 11 (graph neural networks). The paper trains with Adam, lr 0.005, weight decay 5e-4.</remarks>
public sealed record GatConfig(int Inputs, int Outputs, int Hidden = 8, int Heads = 8, int OutputHeads = 1, double Dropout = 0.6);

/// <summary>
/// A graph attention network (Veličković et al. 2018): dropout, a multi-head <see cref="GraphAttention"/> layer
/// (heads concatenated), ELU, dropout, and an output attention layer (heads averaged) giving class logits.
/// The graph is fixed when the model is built (a self-loop is added to every node, so each attends to itself too).
/// </summary>
/// <remarks>Introduced in chapter 11 (graph neural networks).</remarks>
public sealed class Gat : nn.Module<Tensor, Tensor>
{
    private readonly GraphAttention _hidden;
    private readonly GraphAttention _output;

    /// <summary>Builds the network on a graph.</summary>
    /// <param name="config">The hyperparameters.</param>
    /// <param name="edgeIndex">int64 [2, E], each undirected edge in both directions.</param>
    /// <param name="numNodes">Number of nodes N.</param>
    public Gat(GatConfig config, Tensor edgeIndex, int numNodes) : base("Gat")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(config), "Dropout must be in [0, 1).");
        Config = config;
        _hidden = new GraphAttention(config.Inputs, config.Hidden, config.Heads, concat: true, attentionDropout: config.Dropout);
        _output = new GraphAttention(config.Hidden * config.Heads, config.Outputs, config.OutputHeads, concat: false, attentionDropout: config.Dropout);
        RegisterComponents();
        EdgeIndex = Graphs.Adjacency.WithSelfLoops(edgeIndex, numNodes); // after RegisterComponents: not a buffer, so checkpoints hold only weights
    }

    /// <summary>The hyperparameters this network was built with.</summary>
    public GatConfig Config { get; }

    /// <summary>The edges attended over, with a self-loop per node: int64 [2, E + N] (a plain field, not saved in checkpoints).</summary>
    public Tensor EdgeIndex { get; private set; }

    /// <summary>The hidden attention layer (its <see cref="GraphAttention.LastAttention"/> is what the chapter draws).</summary>
    public GraphAttention HiddenLayer => _hidden;

    /// <summary>Class logits of every node.</summary>
    /// <param name="x">float32 [N, Inputs] features of all nodes, dense or sparse (COO).</param>
    /// <returns>float32 [N, Outputs].</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (EdgeIndex.device_type != x.device_type) EdgeIndex = EdgeIndex.to(x.device);
        var h = Graphs.SparseDropout.Apply(x, Config.Dropout, training); // (N, F); sparse features stay sparse
        h = nn.functional.elu(_hidden.call(h, EdgeIndex), alpha: 1.0); // (N, Heads·Hidden)
        h = nn.functional.dropout(h, Config.Dropout, training);
        return _output.call(h, EdgeIndex)                                // (N, Outputs)
            .MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hidden.Dispose();
            _output.Dispose();
            EdgeIndex.Dispose();
        }
        base.Dispose(disposing);
    }
}
