using DeepLearning.Course.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of a <see cref="Gcn"/> (defaults: Kipf &amp; Welling 2017 on the citation graphs).</summary>
/// <param name="Inputs">Features per node.</param>
/// <param name="Outputs">Classes.</param>
/// <param name="Hidden">Width of each hidden layer (16).</param>
/// <param name="Dropout">Dropout before every layer, on its input (0.5).</param>
/// <param name="Layers">Graph convolutions (2); more layers show over-smoothing.</param>
/// <remarks>Introduced in chapter 11 (graph neural networks). The paper trains with Adam, lr 0.01, weight decay 5e-4 on the first layer only (<see cref="Gcn.Optimizer"/>), 200 epochs.</remarks>
public sealed record GcnConfig(int Inputs, int Outputs, int Hidden = 16, double Dropout = 0.5, int Layers = 2);

/// <summary>
/// A graph convolutional network (Kipf &amp; Welling 2017): <c>Z = Â ReLU(Â X W0) W1</c> for two layers, with dropout
/// on each layer's input. The graph (its normalised adjacency Â) is fixed when the model is built; the forward pass
/// maps the features of all N nodes to their class logits.
/// </summary>
/// <remarks>Introduced in chapter 11 (graph neural networks).</remarks>
public sealed class Gcn : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<GraphConvolution> _layers;

    /// <summary>Builds the network on a graph.</summary>
    /// <param name="config">The hyperparameters.</param>
    /// <param name="normalizedAdjacency">Â [N, N], dense or sparse (see <see cref="Graphs.Adjacency"/>).</param>
    public Gcn(GcnConfig config, Tensor normalizedAdjacency) : base("Gcn")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Layers < 1) throw new ArgumentOutOfRangeException(nameof(config), "A GCN needs at least one layer.");
        if (config.Dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(config), "Dropout must be in [0, 1).");
        Config = config;
        var widths = new[] { config.Inputs }.Concat(Enumerable.Repeat(config.Hidden, config.Layers - 1)).Append(config.Outputs).ToArray();
        _layers = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(l => new GraphConvolution(widths[l], widths[l + 1])).ToArray());
        RegisterComponents();
        NormalizedAdjacency = normalizedAdjacency; // after RegisterComponents: no buffer, so shared by models, never disposed by one
    }

    /// <summary>The hyperparameters this network was built with.</summary>
    public GcnConfig Config { get; }

    /// <summary>The graph: Â [N, N], held as a plain field (not saved in checkpoints, not disposed with the model: several models may share it).</summary>
    public Tensor NormalizedAdjacency { get; private set; }

    /// <summary>The first graph convolution (the one the paper's weight decay applies to).</summary>
    public GraphConvolution FirstLayer => _layers[0];

    /// <summary>Class logits of every node.</summary>
    /// <param name="x">float32 [N, Inputs] features of all nodes, dense or sparse (COO: dropout then draws only for the stored values, see <see cref="Graphs.SparseDropout"/>).</param>
    /// <returns>float32 [N, Outputs].</returns>
    public override Tensor forward(Tensor x) => Run(x, _layers.Count);

    /// <summary>The node vectors after the last hidden layer (after its ReLU), [N, Hidden]: the learned embedding.</summary>
    /// <param name="x">float32 [N, Inputs].</param>
    /// <returns>float32 [N, Hidden].</returns>
    public Tensor Embed(Tensor x) => Run(x, _layers.Count - 1);

    private Tensor Run(Tensor x, int count)
    {
        using var scope = NewDisposeScope();
        if (NormalizedAdjacency.device_type != x.device_type) NormalizedAdjacency = NormalizedAdjacency.to(x.device);
        var h = x;
        for (var l = 0; l < count; l++)
        {
            h = Graphs.SparseDropout.Apply(h, Config.Dropout, training); // (N, in); sparse features stay sparse
            h = _layers[l].call(h, NormalizedAdjacency);              // (N, out): Â H W + b
            if (l < _layers.Count - 1) h = nn.functional.relu(h);
        }
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Adam as the paper trains a GCN: the run's learning rate, and the run's weight decay (L2, added to the gradient as
    /// the paper adds it to the loss) on the first layer's parameters only.
    /// </summary>
    /// <returns>A factory for <see cref="TrainerOptions.Optimizer"/>.</returns>
    public OptimizerFactory Optimizer()
    {
        var first = FirstLayer.parameters().Select(p => p.Handle).ToHashSet();
        return (parameters, lr, weightDecay) =>
        {
            var all = parameters.ToList();
            return new CourseAdam(
            [
                new Adam.ParamGroup(all.Where(p => first.Contains(p.Handle)), new Adam.Options { LearningRate = lr, weight_decay = weightDecay }),
                new Adam.ParamGroup(all.Where(p => !first.Contains(p.Handle)), new Adam.Options { LearningRate = lr, weight_decay = 0 }),
            ], lr);
        };
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _layers.Dispose();
        base.Dispose(disposing);
    }
}
