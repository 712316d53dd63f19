using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of a <see cref="SequenceForecaster"/>.</summary>
/// <param name="Features">Values per time step in the input window (1 for a univariate series).</param>
/// <param name="HiddenSize">Width of the recurrent state.</param>
/// <param name="Horizon">Future steps predicted at once.</param>
/// <param name="NumLayers">Stacked recurrent layers.</param>
/// <param name="Cell">Vanilla RNN, GRU or LSTM.</param>
/// <remarks>Introduced in chapter 04 (recurrent networks: forecasting weekly CO2).</remarks>
public sealed record SequenceForecasterConfig(int Features = 1, int HiddenSize = 32, int Horizon = 1, int NumLayers = 1, RecurrentCell Cell = RecurrentCell.Lstm);

/// <summary>
/// A recurrent forecaster: a recurrent network reads a window of past values step by step, and a linear
/// layer maps its final state to the next <see cref="SequenceForecasterConfig.Horizon"/> values
/// (direct multi-step forecasting). Window <c>[B, T, Features]</c> in, forecasts <c>[B, Horizon]</c> out.
/// </summary>
/// <remarks>Introduced in chapter 04 (recurrent networks), beside an autoregressive <see cref="Mlp"/> on the same windows.</remarks>
public sealed class SequenceForecaster : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module _rnn;
    private readonly Linear _head;

    /// <summary>Builds the model from <paramref name="config"/>.</summary>
    /// <param name="config">The hyperparameters.</param>
    public SequenceForecaster(SequenceForecasterConfig config) : base("SequenceForecaster")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Features < 1 || config.HiddenSize < 1 || config.Horizon < 1 || config.NumLayers < 1)
            throw new ArgumentOutOfRangeException(nameof(config), "Features, HiddenSize, Horizon and NumLayers must be at least 1.");
        Config = config;
        _rnn = config.Cell switch
        {
            RecurrentCell.Rnn => nn.RNN(config.Features, config.HiddenSize, config.NumLayers, batchFirst: true),
            RecurrentCell.Gru => nn.GRU(config.Features, config.HiddenSize, config.NumLayers, batchFirst: true),
            RecurrentCell.Lstm => nn.LSTM(config.Features, config.HiddenSize, config.NumLayers, batchFirst: true),
            _ => throw new ArgumentOutOfRangeException(nameof(config), $"Unknown cell {config.Cell}."),
        };
        _head = nn.Linear(config.HiddenSize, config.Horizon);
        RegisterComponents();
    }

    /// <summary>The hyperparameters this model was built with.</summary>
    public SequenceForecasterConfig Config { get; }

    /// <summary>Forecasts the steps after each window.</summary>
    /// <param name="x">Windows <c>[B, T, Features]</c>, oldest step first.</param>
    /// <returns>Forecasts <c>[B, Horizon]</c>.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = _rnn switch                  // (B, T, H)
        {
            RNN rnn => rnn.call(x, null).Item1,
            GRU gru => gru.call(x, null).Item1,
            LSTM lstm => lstm.call(x, null).Item1,
            _ => throw new InvalidOperationException("unreachable"),
        };
        var last = h[.., -1];                // (B, H): the state after the newest step
        return _head.call(last)              // (B, Horizon)
            .MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rnn.Dispose();
            _head.Dispose();
        }
        base.Dispose(disposing);
    }
}
