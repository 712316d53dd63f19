using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Data;

/// <summary>
/// One split of a labelled dataset: features, labels, and which rows of the source it holds
/// (<see cref="Source"/> names the pool, e.g. the official <c>train</c> or <c>test</c> file), so
/// disjointness between splits can be checked.
/// </summary>
/// <param name="Features">Features, first dimension = examples (e.g. float32 [N, 1, 28, 28] in [0, 1]).</param>
/// <param name="Labels">int64 class indices [N] for classification, or float32 targets for regression/forecasting.</param>
/// <param name="Source">The pool the rows come from.</param>
/// <param name="SourceIndices">Row indices into that pool, ascending.</param>
/// <remarks>Introduced in chapter 02 (MLP on Fashion-MNIST); chapter 01 uses it for the digits.</remarks>
public sealed record LabeledSplit(Tensor Features, Tensor Labels, string Source, IReadOnlyList<int> SourceIndices) : IDisposable
{
    /// <summary>Number of examples.</summary>
    public int Count => SourceIndices.Count;

    /// <summary>Batches over this split (see <see cref="DataLoader"/>).</summary>
    /// <param name="batchSize">Examples per batch.</param>
    /// <param name="shuffle">Reshuffle every epoch.</param>
    /// <param name="seed">Seed for shuffling.</param>
    /// <param name="device">Device to move batches to.</param>
    /// <returns>The loader.</returns>
    public DataLoader Batches(int batchSize, bool shuffle = false, int seed = 0, Device? device = null) =>
        new(Features, Labels, batchSize, shuffle, seed, device);

    /// <summary>Frees the native tensors.</summary>
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}

/// <summary>A labelled dataset cut into disjoint train, validation and test splits, with class names.</summary>
/// <param name="Train">Training split.</param>
/// <param name="Validation">Validation split (drawn from the training pool with a seed).</param>
/// <param name="Test">Test split.</param>
/// <param name="ClassNames">Name of each class index.</param>
/// <remarks>Introduced in chapter 01 (digits) and used by chapters 02-03 (Fashion-MNIST, MNIST).</remarks>
public sealed record ClassificationData(LabeledSplit Train, LabeledSplit Validation, LabeledSplit Test, IReadOnlyList<string> ClassNames) : IDisposable
{
    /// <summary>Frees all splits' tensors.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"train {Train.Count}, validation {Validation.Count}, test {Test.Count}; features {string.Join("x", Train.Features.shape.Skip(1))}; {ClassNames.Count} classes";

    /// <summary>Builds float32 features (divided by <paramref name="scale"/>) and int64 labels for selected rows of a byte matrix.</summary>
    internal static LabeledSplit Select(byte[] pixels, int rowLength, long[] shape, byte[] labels, int[] rows, string source, float scale)
    {
        using var scope = torch.NewDisposeScope();
        var dims = new long[shape.Length + 1];
        dims[0] = pixels.Length / rowLength;
        shape.CopyTo(dims, 1);
        var index = torch.tensor(rows.Select(r => (long)r).ToArray());
        var all = torch.tensor(pixels, dims);                                    // uint8, the whole pool
        var x = all.index_select(0, index).to_type(ScalarType.Float32).div_(scale); // (N, ...) in [0, 1]
        var y = torch.tensor(labels, [labels.Length]).index_select(0, index).to_type(ScalarType.Int64);
        return new LabeledSplit(x.MoveToOuterDisposeScope().DetachFromDisposeScope(), y.MoveToOuterDisposeScope().DetachFromDisposeScope(), source, rows);
    }

    /// <summary>Detaches a long-lived data tensor from any dispose scope the caller may have open.</summary>
    internal static Tensor Own(Tensor t) => t.DetachFromDisposeScope();
}
