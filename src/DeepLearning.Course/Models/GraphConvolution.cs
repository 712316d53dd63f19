using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// One graph convolution (Kipf &amp; Welling 2017, eq. 2): <c>H' = Â H W + b</c>. Each node's new vector is the
/// normalised sum of its neighbours' (and its own) vectors after the same linear map W.
/// </summary>
/// <remarks>
/// Introduced in chapter 11 (graph neural networks). W is Glorot-uniform initialised and b zero, as in the GCN
/// code. <c>Â</c> may be dense or <c>torch.sparse</c> (see <see cref="Graphs.Adjacency"/>); H W is computed first,
/// the cheaper order when there are more input features than outputs.
/// </remarks>
public sealed class GraphConvolution : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;

    /// <summary>Creates the layer.</summary>
    /// <param name="inputs">Features per node in.</param>
    /// <param name="outputs">Features per node out.</param>
    public GraphConvolution(int inputs, int outputs) : base("GraphConvolution")
    {
        _weight = nn.Parameter(empty(inputs, outputs));
        nn.init.xavier_uniform_(_weight);
        _bias = nn.Parameter(zeros(outputs));
        RegisterComponents();
    }

    /// <summary>The weight W, [inputs, outputs].</summary>
    public Parameter Weight => _weight;

    /// <summary>Applies the layer.</summary>
    /// <param name="h">float32 [N, inputs] node vectors.</param>
    /// <param name="normalizedAdjacency">float32 [N, N] Â, dense or sparse.</param>
    /// <returns>float32 [N, outputs].</returns>
    public override Tensor forward(Tensor h, Tensor normalizedAdjacency)
    {
        using var scope = NewDisposeScope();
        var support = ShapeChecks.MatMul(h, _weight, "graph convolution (node vectors by W)");                  // (N, outputs): H W
        return (ShapeChecks.MatMul(normalizedAdjacency, support, "graph convolution (Â by H W)") + _bias)  // (N, outputs): Â H W + b
            .MoveToOuterDisposeScope();
    }
}
