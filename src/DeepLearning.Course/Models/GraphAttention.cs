using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>
/// One graph attention layer (Veličković et al. 2018) with several heads: each head maps every node with W, scores
/// each edge j → i by <c>e_ij = LeakyReLU(aᵀ [W h_i ‖ W h_j])</c>, normalises the scores over i's incoming edges with a
/// softmax (<c>α_ij</c>), and sums the neighbours' <c>W h_j</c> weighted by <c>α_ij</c>. Heads are concatenated (hidden
/// layers) or averaged (the output layer).
/// </summary>
/// <remarks>
/// Introduced in chapter 11 (graph neural networks). Works on an edge list, O(E) memory, not an N x N matrix.
/// The softmax subtracts each head's largest score over all edges (the per-node maximum would be exact too; any
/// constant per node cancels), and the denominator gets 1e-16 so a node whose scores all underflow gives zeros
/// rather than NaN. Parameters are Glorot-uniform initialised, the bias zero.
/// </remarks>
public sealed class GraphAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter _attentionSource;
    private readonly Parameter _attentionTarget;
    private readonly Parameter _bias;

    /// <summary>Creates the layer.</summary>
    /// <param name="inputs">Features per node in.</param>
    /// <param name="outputs">Features per node and head out.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="concat">Concatenate the heads (output <c>heads * outputs</c>) or average them (<c>outputs</c>).</param>
    /// <param name="attentionDropout">Dropout on the attention coefficients α during training.</param>
    /// <param name="negativeSlope">Slope of the LeakyReLU on the scores (0.2).</param>
    public GraphAttention(int inputs, int outputs, int heads = 1, bool concat = true, double attentionDropout = 0, double negativeSlope = 0.2) : base("GraphAttention")
    {
        Heads = heads;
        Outputs = outputs;
        Concat = concat;
        AttentionDropout = attentionDropout;
        NegativeSlope = negativeSlope;
        _weight = nn.Parameter(empty(inputs, heads * outputs));
        _attentionSource = nn.Parameter(empty(1, heads, outputs));
        _attentionTarget = nn.Parameter(empty(1, heads, outputs));
        _bias = nn.Parameter(zeros(concat ? heads * outputs : outputs));
        nn.init.xavier_uniform_(_weight);
        nn.init.xavier_uniform_(_attentionSource);
        nn.init.xavier_uniform_(_attentionTarget);
        RegisterComponents();
    }

    /// <summary>Attention heads.</summary>
    public int Heads { get; }

    /// <summary>Features per node and head out.</summary>
    public int Outputs { get; }

    /// <summary>Whether heads are concatenated (else averaged).</summary>
    public bool Concat { get; }

    /// <summary>Dropout on α during training.</summary>
    public double AttentionDropout { get; }

    /// <summary>Slope of the LeakyReLU on the scores.</summary>
    public double NegativeSlope { get; }

    /// <summary>The attention coefficients α [E, heads] of the last forward pass (before dropout), one row per edge, for drawing.</summary>
    public Tensor? LastAttention { get; private set; }

    /// <summary>Applies the layer.</summary>
    /// <param name="h">float32 [N, inputs].</param>
    /// <param name="edgeIndex">int64 [2, E] edges j → i (row 0 the source j, row 1 the target i), with a self-loop for every node.</param>
    /// <returns>float32 [N, heads * outputs] (concatenated) or [N, outputs] (averaged).</returns>
    public override Tensor forward(Tensor h, Tensor edgeIndex)
    {
        using var scope = NewDisposeScope();
        var n = h.shape[0];
        var source = edgeIndex[0];
        var target = edgeIndex[1];
        var wh = ShapeChecks.MatMul(h, _weight, "graph attention (node vectors by W)").view(n, Heads, Outputs);                        // (N, H, F')
        var scoreSource = (wh * _attentionSource).sum(-1);                          // (N, H): a_srcᵀ W h_j
        var scoreTarget = (wh * _attentionTarget).sum(-1);                          // (N, H): a_dstᵀ W h_i
        var e = nn.functional.leaky_relu(
            scoreSource.index_select(0, source) + scoreTarget.index_select(0, target), NegativeSlope); // (E, H)
        var shifted = (e - e.max(0, keepdim: true).values.detach()).exp();          // (E, H), stable exp
        var denominator = zeros(n, Heads).index_add(0, target, shifted, 1.0);     // (N, H): Σ over i's edges
        var alpha = shifted / (denominator.index_select(0, target) + 1e-16);        // (E, H): softmax over i's edges
        LastAttention?.Dispose();
        LastAttention = alpha.detach().clone().DetachFromDisposeScope();
        alpha = nn.functional.dropout(alpha, AttentionDropout, training);
        var messages = wh.index_select(0, source) * alpha.unsqueeze(-1);           // (E, H, F'): α_ij W h_j
        var summed = zeros(n, Heads, Outputs).index_add(0, target, messages, 1.0); // (N, H, F')
        var output = Concat ? summed.reshape(n, Heads * Outputs) : summed.mean([1]); // (N, H·F') or (N, F')
        return (output + _bias).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) LastAttention?.Dispose();
        base.Dispose(disposing);
    }
}
