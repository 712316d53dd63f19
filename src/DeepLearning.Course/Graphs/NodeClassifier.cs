using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Graphs;

/// <summary>
/// Node classification on one fixed graph, in the shape the <see cref="Training.Trainer"/> expects: the input of a
/// batch is a set of node ids (int64 [B]), the output their logits [B, C]. Every call runs the inner model on the
/// features of all N nodes (a GCN or GAT needs the whole graph; an MLP ignores it) and picks the rows asked for.
/// So the training batch is <c>(TrainNodes, labels of TrainNodes)</c>, validation <c>(ValidationNodes, …)</c>, and
/// the standard step, loss and accuracy apply unchanged: the usual node mask of GCN code is the choice of ids.
/// </summary>
/// <remarks>
/// Introduced in chapter 11 (graph neural networks). The features are held as a plain field, not a buffer, so
/// checkpoints store only the weights and disposing the model leaves the features (shared by several models) alone.
/// </remarks>
public sealed class NodeClassifier : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _model;

    /// <summary>Wraps <paramref name="model"/> (features [N, F] to logits [N, C]) around fixed <paramref name="features"/>.</summary>
    /// <param name="model">The graph model (the graph is inside it) or an MLP.</param>
    /// <param name="features">float32 [N, F], the features of every node.</param>
    public NodeClassifier(nn.Module<Tensor, Tensor> model, Tensor features) : base("NodeClassifier")
    {
        _model = model;
        RegisterComponents();
        Features = features; // set after RegisterComponents, so it is no buffer: not saved, not disposed with the model
    }

    /// <summary>The features of every node, [N, F].</summary>
    public Tensor Features { get; private set; }

    /// <summary>The inner model.</summary>
    public nn.Module<Tensor, Tensor> Model => _model;

    /// <summary>Logits of the nodes <paramref name="nodes"/>.</summary>
    /// <param name="nodes">int64 [B] node ids.</param>
    /// <returns>float32 [B, C].</returns>
    public override Tensor forward(Tensor nodes)
    {
        using var scope = NewDisposeScope();
        if (Features.device_type != nodes.device_type) Features = Features.to(nodes.device);
        return _model.call(Features)        // (N, C): the whole graph
            .index_select(0, nodes)         // (B, C): the nodes asked for
            .MoveToOuterDisposeScope();
    }

    /// <summary>Logits of every node, [N, C] (for embeddings and plots).</summary>
    /// <returns>float32 [N, C].</returns>
    public Tensor AllLogits() => _model.call(Features);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _model.Dispose();
        base.Dispose(disposing);
    }
}
