using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of a <see cref="CollabMlp"/>.</summary>
/// <param name="NumUsers">Number of users.</param>
/// <param name="NumItems">Number of items.</param>
/// <param name="UserFactors">User embedding width (fastai's rule of thumb gives 74 for MovieLens 100k).</param>
/// <param name="ItemFactors">Item embedding width (fastai's rule of thumb gives 102 for MovieLens 100k).</param>
/// <param name="Hidden">Width of the hidden layer.</param>
/// <param name="Dropout">Dropout after the hidden activation (0: none).</param>
/// <param name="YRange">Squash predictions into <c>(Low, High)</c> with a scaled sigmoid; <c>null</c> leaves them raw.</param>
/// <param name="InitStd">Standard deviation of the embeddings' normal initialization.</param>
/// <remarks>Introduced in chapter 05 (embeddings and collaborative filtering).</remarks>
public sealed record CollabMlpConfig(int NumUsers, int NumItems, int UserFactors = 74, int ItemFactors = 102, int Hidden = 100,
    double Dropout = 0, (double Low, double High)? YRange = null, double InitStd = 0.01);

/// <summary>
/// A neural recommender (fastai's <c>CollabNN</c>): the user's and the item's embeddings are
/// concatenated and read by a one-hidden-layer MLP that outputs the rating.
/// Input: int64 <c>[B, 2]</c> rows of (user index, item index); output: predicted ratings <c>[B]</c>.
/// </summary>
/// <remarks>Introduced in chapter 05 (embeddings and collaborative filtering), beside <see cref="DotProductBias"/>.</remarks>
public sealed class CollabMlp : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _users;
    private readonly Embedding _items;
    private readonly Sequential _mlp;

    /// <summary>Builds the model from <paramref name="config"/>.</summary>
    /// <param name="config">The hyperparameters.</param>
    public CollabMlp(CollabMlpConfig config) : base("CollabMlp")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(config), "Dropout must be in [0, 1).");
        Config = config;
        _users = nn.Embedding(config.NumUsers, config.UserFactors);
        _items = nn.Embedding(config.NumItems, config.ItemFactors);
        using (no_grad())
        {
            _users.weight!.normal_(0, config.InitStd);
            _items.weight!.normal_(0, config.InitStd);
        }
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("hidden", nn.Linear(config.UserFactors + config.ItemFactors, config.Hidden)),
            ("relu", nn.ReLU()),
        };
        if (config.Dropout > 0) layers.Add(("dropout", nn.Dropout(config.Dropout)));
        layers.Add(("output", nn.Linear(config.Hidden, 1)));
        _mlp = nn.Sequential(layers);
        RegisterComponents();
    }

    /// <summary>The hyperparameters this model was built with.</summary>
    public CollabMlpConfig Config { get; }

    /// <summary>Item embeddings <c>[NumItems, ItemFactors]</c> (the weight, not a copy).</summary>
    public Tensor ItemFactors => _items.weight!;

    /// <summary>Predicted ratings.</summary>
    /// <param name="x">int64 <c>[B, 2]</c>: user index, item index.</param>
    /// <returns><c>[B]</c> predictions.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = cat([_users.call(x[.., 0]), _items.call(x[.., 1])], 1); // (B, Fu + Fi)
        var r = _mlp.call(h).squeeze(1);                                   // (B)
        if (Config.YRange is { } range) r = DotProductBias.SigmoidRange(r, range.Low, range.High);
        return r.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _users.Dispose();
            _items.Dispose();
            _mlp.Dispose();
        }
        base.Dispose(disposing);
    }
}
