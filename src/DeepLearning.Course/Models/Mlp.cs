using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of an <see cref="Mlp"/>.</summary>
/// <param name="Inputs">Features per example after flattening (784 for a 28x28 image).</param>
/// <param name="Hidden">Width of each hidden layer, input side first (empty: a linear model).</param>
/// <param name="Outputs">Outputs per example (10 class logits).</param>
/// <param name="Dropout">Dropout probability after each hidden activation (0: none).</param>
/// <param name="Activation">Hidden activation: <c>relu</c>, <c>sigmoid</c>, <c>tanh</c> or <c>gelu</c>.</param>
/// <remarks>Introduced in chapter 02 (multilayer perceptrons).</remarks>
public sealed record MlpConfig(int Inputs = 784, IReadOnlyList<int>? Hidden = null, int Outputs = 10, double Dropout = 0, string Activation = "relu")
{
    /// <summary>The hidden widths, never null (defaults to one layer of 256).</summary>
    public IReadOnlyList<int> HiddenLayers => Hidden ?? [256];

    /// <summary>Layer widths from input to output, e.g. <c>784-256-10</c>.</summary>
    /// <returns>The widths joined by dashes.</returns>
    public string Shape() => string.Join("-", new[] { Inputs }.Concat(HiddenLayers).Append(Outputs));
}

/// <summary>
/// A multilayer perceptron: flatten, then (linear, activation, dropout) per hidden layer, then a
/// linear output layer producing logits.
/// </summary>
/// <remarks>
/// Introduced in chapter 02 (multilayer perceptrons), where the same network is first written from
/// scratch with raw parameter tensors. Inputs of any shape <c>[B, ...]</c> are flattened to <c>[B, Inputs]</c>.
/// </remarks>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _layers;

    /// <summary>Builds the network from <paramref name="config"/>.</summary>
    /// <param name="config">The hyperparameters.</param>
    public Mlp(MlpConfig config) : base("Mlp")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(config), "Dropout must be in [0, 1).");
        Config = config;
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var width = config.Inputs;
        for (var i = 0; i < config.HiddenLayers.Count; i++)
        {
            modules.Add(($"linear{i + 1}", nn.Linear(width, config.HiddenLayers[i])));
            modules.Add(($"{config.Activation}{i + 1}", MakeActivation(config.Activation)));
            if (config.Dropout > 0) modules.Add(($"dropout{i + 1}", nn.Dropout(config.Dropout)));
            width = config.HiddenLayers[i];
        }
        modules.Add(("output", nn.Linear(width, config.Outputs)));
        _layers = nn.Sequential(modules);
        RegisterComponents();
    }

    /// <summary>The hyperparameters this network was built with.</summary>
    public MlpConfig Config { get; }

    /// <summary>Logits for a batch.</summary>
    /// <param name="x">Inputs <c>[B, ...]</c> with <see cref="MlpConfig.Inputs"/> values per example.</param>
    /// <returns>Logits <c>[B, Outputs]</c>.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x.flatten(1);          // (B, Inputs)
        return _layers.call(h)         // (B, Outputs)
            .MoveToOuterDisposeScope();
    }

    /// <summary>The activation module for a name.</summary>
    /// <param name="name"><c>relu</c>, <c>sigmoid</c>, <c>tanh</c> or <c>gelu</c>.</param>
    /// <returns>A new module.</returns>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static nn.Module<Tensor, Tensor> MakeActivation(string name) => name.ToLowerInvariant() switch
    {
        "relu" => nn.ReLU(),
        "sigmoid" => nn.Sigmoid(),
        "tanh" => nn.Tanh(),
        "gelu" => nn.GELU(),
        _ => throw new ArgumentException($"Unknown activation '{name}'. Use relu, sigmoid, tanh or gelu.", nameof(name)),
    };

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _layers.Dispose();
        base.Dispose(disposing);
    }
}
