using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>The recurrent cell of a <see cref="CharRnn"/>.</summary>
/// <remarks>Introduced in chapter 04 (recurrent networks).</remarks>
public enum RecurrentCell
{
    /// <summary>Vanilla (Elman) RNN with tanh: <c>h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)</c> (<c>nn.RNN</c>).</summary>
    Rnn,

    /// <summary>Gated recurrent unit (<c>nn.GRU</c>).</summary>
    Gru,

    /// <summary>Long short-term memory (<c>nn.LSTM</c>).</summary>
    Lstm,
}

/// <summary>Hyperparameters of a <see cref="CharRnn"/>.</summary>
/// <param name="VocabSize">Number of tokens (embedding rows and output logits).</param>
/// <param name="EmbeddingDim">Width of each token's embedding.</param>
/// <param name="HiddenSize">Width of the recurrent state.</param>
/// <param name="NumLayers">Stacked recurrent layers.</param>
/// <param name="Cell">Vanilla RNN, GRU or LSTM.</param>
/// <param name="Dropout">Dropout between stacked recurrent layers and before the output layer (0: none).</param>
/// <remarks>Introduced in chapter 04 (recurrent networks); chapter 06 trains the same LSTM beside a transformer.</remarks>
public sealed record CharRnnConfig(int VocabSize, int EmbeddingDim = 32, int HiddenSize = 256, int NumLayers = 1, RecurrentCell Cell = RecurrentCell.Lstm, double Dropout = 0);

/// <summary>
/// A character-level (or any token-level) recurrent language model: embedding, a recurrent network
/// (<c>nn.RNN</c>, <c>nn.GRU</c> or <c>nn.LSTM</c>, batch first), and a linear layer giving next-token
/// logits at every step. Tokens int64 <c>[B, T]</c> in, logits <c>[B, T, V]</c> out, so
/// <see cref="Training.Losses.CrossEntropy"/> and <see cref="TextSampler"/> apply directly.
/// </summary>
/// <remarks>
/// Introduced in chapter 04 (recurrent networks), where a vanilla RNN is first written from scratch and
/// checked against <c>nn.RNN</c>. Each forward pass starts from a zero state (no state is carried
/// between batches), so every window is an independent example.
/// </remarks>
public sealed class CharRnn : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _embedding;
    private readonly nn.Module _rnn;
    private readonly Dropout? _dropout;
    private readonly Linear _head;

    /// <summary>Builds the model from <paramref name="config"/>.</summary>
    /// <param name="config">The hyperparameters.</param>
    public CharRnn(CharRnnConfig config) : base("CharRnn")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.VocabSize < 1) throw new ArgumentOutOfRangeException(nameof(config), "VocabSize must be at least 1.");
        if (config.EmbeddingDim < 1 || config.HiddenSize < 1 || config.NumLayers < 1)
            throw new ArgumentOutOfRangeException(nameof(config), "EmbeddingDim, HiddenSize and NumLayers must be at least 1.");
        if (config.Dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(config), "Dropout must be in [0, 1).");
        Config = config;
        var between = config.NumLayers > 1 ? config.Dropout : 0; // torch warns about inter-layer dropout with one layer
        _embedding = nn.Embedding(config.VocabSize, config.EmbeddingDim);
        _rnn = config.Cell switch
        {
            RecurrentCell.Rnn => nn.RNN(config.EmbeddingDim, config.HiddenSize, config.NumLayers, batchFirst: true, dropout: between),
            RecurrentCell.Gru => nn.GRU(config.EmbeddingDim, config.HiddenSize, config.NumLayers, batchFirst: true, dropout: between),
            RecurrentCell.Lstm => nn.LSTM(config.EmbeddingDim, config.HiddenSize, config.NumLayers, batchFirst: true, dropout: between),
            _ => throw new ArgumentOutOfRangeException(nameof(config), $"Unknown cell {config.Cell}."),
        };
        _dropout = config.Dropout > 0 ? nn.Dropout(config.Dropout) : null;
        _head = nn.Linear(config.HiddenSize, config.VocabSize);
        RegisterComponents();
    }

    /// <summary>The hyperparameters this model was built with.</summary>
    public CharRnnConfig Config { get; }

    /// <summary>Next-token logits at every position.</summary>
    /// <param name="tokens">int64 token indices <c>[B, T]</c>.</param>
    /// <returns>Logits <c>[B, T, V]</c>: position t scores the token that follows <c>tokens[:, t]</c>.</returns>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var x = _embedding.call(tokens);                     // (B, T, E)
        var h = _rnn switch                                  // (B, T, H): the top layer's state at every step
        {
            RNN rnn => rnn.call(x, null).Item1,
            GRU gru => gru.call(x, null).Item1,
            LSTM lstm => lstm.call(x, null).Item1,
            _ => throw new InvalidOperationException("unreachable"),
        };
        if (_dropout is not null) h = _dropout.call(h);
        return _head.call(h)                                 // (B, T, V)
            .MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _embedding.Dispose();
            _rnn.Dispose();
            _dropout?.Dispose();
            _head.Dispose();
        }
        base.Dispose(disposing);
    }
}
