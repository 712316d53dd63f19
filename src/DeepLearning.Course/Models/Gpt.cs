using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of a <see cref="Gpt"/> (nanoGPT's <c>GPTConfig</c>).</summary>
/// <param name="VocabSize">Number of distinct tokens.</param>
/// <param name="BlockSize">Longest context the model reads (learned position embeddings).</param>
/// <param name="Layers">Number of transformer blocks.</param>
/// <param name="Heads">Attention heads per block.</param>
/// <param name="EmbeddingDim">Embedding width <c>C</c> (a multiple of <paramref name="Heads"/>).</param>
/// <param name="Dropout">Dropout on embeddings, attention and MLP outputs.</param>
/// <remarks>Introduced in chapter 06 (attention and transformers).</remarks>
public sealed record GptConfig(int VocabSize, int BlockSize, int Layers = 4, int Heads = 4, int EmbeddingDim = 128, double Dropout = 0);

/// <summary>
/// A decoder-only transformer (GPT-2 layout, after nanoGPT): token and position embeddings, a stack
/// of causal pre-norm <see cref="TransformerBlock"/>s, a final layer norm and a linear head.
/// Forward: int64 tokens <c>[B, T]</c> → next-token logits <c>[B, T, V]</c>.
/// </summary>
/// <remarks>
/// Introduced in chapter 06 (attention and transformers): the minGPT sorting task and a
/// character-level language model on Moby Dick. Weights start as in GPT-2: normal(0, 0.02), the
/// residual projections scaled by <c>1/sqrt(2 * layers)</c>, biases zero.
/// </remarks>
public sealed class Gpt : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _tokenEmbedding;
    private readonly Embedding _positionEmbedding;
    private readonly Dropout _dropout;
    private readonly ModuleList<TransformerBlock> _blocks;
    private readonly LayerNorm _lnFinal;
    private readonly Linear _head;

    /// <summary>Builds the model.</summary>
    /// <param name="config">The hyperparameters.</param>
    public Gpt(GptConfig config) : base(nameof(Gpt))
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(config), "Dropout must be in [0, 1).");
        Config = config;
        var C = config.EmbeddingDim;
        _tokenEmbedding = nn.Embedding(config.VocabSize, C);
        _positionEmbedding = nn.Embedding(config.BlockSize, C);
        _dropout = nn.Dropout(config.Dropout);
        _blocks = nn.ModuleList(Enumerable.Range(0, config.Layers)
            .Select(_ => new TransformerBlock(C, config.Heads, causal: true, config.Dropout)).ToArray());
        _lnFinal = nn.LayerNorm(C);
        _head = nn.Linear(C, config.VocabSize, hasBias: false);
        RegisterComponents();
        Initialize();
    }

    /// <summary>The hyperparameters this model was built with.</summary>
    public GptConfig Config { get; }

    /// <summary>Number of trainable parameters.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>The blocks, input side first.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => _blocks.ToArray();

    /// <summary>Next-token logits.</summary>
    /// <param name="tokens">int64 <c>[B, T]</c>, <c>T ≤ BlockSize</c>.</param>
    /// <returns><c>[B, T, V]</c>.</returns>
    public override Tensor forward(Tensor tokens)
    {
        var T = tokens.shape[1];
        if (T > Config.BlockSize) throw new ArgumentException($"Sequence length {T} exceeds the block size {Config.BlockSize}.", nameof(tokens));
        var positions = arange(T, dtype: ScalarType.Int64, device: tokens.device);        // (T)
        var x = _dropout.call(_tokenEmbedding.call(tokens) + _positionEmbedding.call(positions)); // (B, T, C)
        foreach (var block in _blocks) x = block.call(x);                                  // (B, T, C)
        return _head.call(_lnFinal.call(x));                                               // (B, T, V)
    }

    /// <summary>
    /// The attention weights of every block for one batch, computed in eval mode without gradients.
    /// </summary>
    /// <param name="tokens">int64 <c>[B, T]</c>.</param>
    /// <returns>One tensor <c>(B, heads, T, T)</c> per block; the caller owns them.</returns>
    public Tensor[] AttentionMaps(Tensor tokens)
    {
        var wasTraining = training;
        eval();
        try
        {
            foreach (var block in _blocks) block.SelfAttention.CaptureWeights = true;
            using (no_grad())
            using (var scope = NewDisposeScope())
            {
                forward(tokens);
                return _blocks.Select(b => b.SelfAttention.LastWeights!.MoveToOuterDisposeScope()).ToArray();
            }
        }
        finally
        {
            foreach (var block in _blocks) block.SelfAttention.CaptureWeights = false;
            train(wasTraining);
        }
    }

    /// <summary>
    /// Extends each row of <paramref name="tokens"/> by <paramref name="count"/> tokens, one at a
    /// time, reading at most the last <see cref="GptConfig.BlockSize"/> tokens each step.
    /// </summary>
    /// <param name="tokens">int64 prompt <c>[B, T]</c>.</param>
    /// <param name="count">Tokens to add.</param>
    /// <param name="greedy">Take the most likely token (true) or sample.</param>
    /// <param name="temperature">Sampling temperature (ignored when greedy).</param>
    /// <param name="generator">Random generator for sampling (seeded for repeatable text).</param>
    /// <returns>int64 <c>[B, T + count]</c>, prompt included; the caller owns it.</returns>
    public Tensor Generate(Tensor tokens, int count, bool greedy = true, double temperature = 1.0, Generator? generator = null)
    {
        var wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var sequence = tokens;
            for (var i = 0; i < count; i++)
            {
                var T = sequence.shape[1];
                var context = T > Config.BlockSize ? sequence.narrow(1, T - Config.BlockSize, Config.BlockSize) : sequence;
                var logits = forward(context).select(1, -1);                                   // (B, V)
                var next = greedy
                    ? logits.argmax(-1, keepdim: true)                                          // (B, 1)
                    : multinomial((logits / temperature).softmax(-1), 1, generator: generator); // (B, 1)
                sequence = cat([sequence, next], 1);
            }
            return sequence.MoveToOuterDisposeScope();
        }
        finally
        {
            train(wasTraining);
        }
    }

    private void Initialize()
    {
        using var noGrad = no_grad();
        var residualStd = 0.02 / Math.Sqrt(2.0 * Config.Layers);
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("bias", StringComparison.Ordinal)) nn.init.zeros_(p);
            else if (name.Contains("_ln", StringComparison.Ordinal) || name.Contains("lnFinal", StringComparison.Ordinal)) nn.init.ones_(p);
            else if (name.EndsWith("_output.weight", StringComparison.Ordinal) || name.EndsWith("project.weight", StringComparison.Ordinal)) nn.init.normal_(p, 0, residualStd);
            else nn.init.normal_(p, 0, 0.02);
        }
    }
}
