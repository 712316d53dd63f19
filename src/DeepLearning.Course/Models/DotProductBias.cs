using DeepLearning.Course.Platform;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Models;

/// <summary>Hyperparameters of a <see cref="DotProductBias"/> recommender.</summary>
/// <param name="NumUsers">Number of users (rows of the user embedding).</param>
/// <param name="NumItems">Number of items (rows of the item embedding).</param>
/// <param name="Factors">Latent factors per user and per item (fastai: 50).</param>
/// <param name="UseBias">Add a learned bias per user and per item to the dot product.</param>
/// <param name="YRange">When set, squash the prediction into <c>(Low, High)</c> with a scaled sigmoid
/// (fastai's <c>sigmoid_range</c>; for 1-5 star ratings, <c>(0, 5.5)</c>).</param>
/// <param name="InitStd">Standard deviation of the normal initialization of every embedding (fastai: 0.01).</param>
/// <remarks>Introduced in chapter 05 (embeddings and collaborative filtering).</remarks>
public sealed record DotProductBiasConfig(int NumUsers, int NumItems, int Factors = 50, bool UseBias = true,
    (double Low, double High)? YRange = null, double InitStd = 0.01);

/// <summary>
/// Matrix factorization for ratings: a user's factor vector dotted with an item's factor vector,
/// plus optional user and item biases, optionally squashed into a rating range.
/// Input: int64 <c>[B, 2]</c> rows of (user index, item index); output: predicted ratings <c>[B]</c>.
/// </summary>
/// <remarks>
/// Introduced in chapter 05 (embeddings and collaborative filtering), after showing that an embedding
/// lookup equals a one-hot vector times a matrix. The same model as fastai's <c>DotProductBias</c>
/// (fastbook chapter 8).
/// </remarks>
public sealed class DotProductBias : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _userFactors;
    private readonly Embedding _itemFactors;
    private readonly Embedding? _userBias;
    private readonly Embedding? _itemBias;

    /// <summary>Builds the model from <paramref name="config"/>.</summary>
    /// <param name="config">The hyperparameters.</param>
    public DotProductBias(DotProductBiasConfig config) : base("DotProductBias")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.NumUsers < 1 || config.NumItems < 1 || config.Factors < 1)
            throw new ArgumentOutOfRangeException(nameof(config), "NumUsers, NumItems and Factors must be at least 1.");
        if (config.YRange is { } r && !(r.High > r.Low))
            throw new ArgumentOutOfRangeException(nameof(config), $"YRange must have High > Low, got ({r.Low}, {r.High}).");
        Config = config;
        _userFactors = nn.Embedding(config.NumUsers, config.Factors);
        _itemFactors = nn.Embedding(config.NumItems, config.Factors);
        if (config.UseBias)
        {
            _userBias = nn.Embedding(config.NumUsers, 1);
            _itemBias = nn.Embedding(config.NumItems, 1);
        }
        using (no_grad())
        {
            foreach (var e in new[] { _userFactors, _itemFactors, _userBias, _itemBias })
                e?.weight!.normal_(0, config.InitStd);
        }
        RegisterComponents();
    }

    /// <summary>The hyperparameters this model was built with.</summary>
    public DotProductBiasConfig Config { get; }

    /// <summary>User factors <c>[NumUsers, Factors]</c> (the embedding's weight, not a copy).</summary>
    public Tensor UserFactors => _userFactors.weight!;

    /// <summary>Item factors <c>[NumItems, Factors]</c> (the embedding's weight, not a copy).</summary>
    public Tensor ItemFactors => _itemFactors.weight!;

    /// <summary>Item biases <c>[NumItems]</c> (a detached copy), or <c>null</c> when the model has none.</summary>
    public Tensor? ItemBiases => _itemBias?.weight!.detach().reshape(-1).clone();

    /// <summary>User biases <c>[NumUsers]</c> (a detached copy), or <c>null</c> when the model has none.</summary>
    public Tensor? UserBiases => _userBias?.weight!.detach().reshape(-1).clone();

    /// <summary>Predicted ratings.</summary>
    /// <param name="x">int64 <c>[B, 2]</c>: user index, item index.</param>
    /// <returns><c>[B]</c> predictions.</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var users = x[.., 0];                                              // (B)
        var items = x[.., 1];                                              // (B)
        var r = (_userFactors.call(users) * _itemFactors.call(items)).sum(1); // (B, F) -> (B)
        if (_userBias is not null && _itemBias is not null)                 // r + b_user + b_item; the explicit 1 keeps
            r = r.add(_userBias.call(users).squeeze(1), NativeScalars.One)  // TorchSharp from leaving a native scalar
                 .add(_itemBias.call(items).squeeze(1), NativeScalars.One);  // per '+' for the GC (see CourseAdam)
        if (Config.YRange is { } range)
            r = SigmoidRange(r, range.Low, range.High);
        return r.MoveToOuterDisposeScope();
    }

    /// <summary>fastai's <c>sigmoid_range</c>: <c>sigmoid(x) * (high - low) + low</c>, a smooth squash into <c>(low, high)</c>.</summary>
    /// <param name="x">Any tensor.</param>
    /// <param name="low">Lower bound (approached, never reached).</param>
    /// <param name="high">Upper bound (approached, never reached).</param>
    /// <returns>The squashed tensor.</returns>
    public static Tensor SigmoidRange(Tensor x, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scale = (high - low).ToScalar(); // x.sigmoid() * (high - low) + low, with the two numbers freed here
        using var offset = low.ToScalar();         // instead of by the garbage collector (see CourseAdam)
        return x.sigmoid().mul(scale).add(offset, NativeScalars.One); // not in place: sigmoid's backward reads its output
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _userFactors.Dispose();
            _itemFactors.Dispose();
            _userBias?.Dispose();
            _itemBias?.Dispose();
        }
        base.Dispose(disposing);
    }
}
