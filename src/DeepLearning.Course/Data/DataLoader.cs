using System.Collections;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Data;

/// <summary>One mini-batch: features and labels (targets).</summary>
/// <param name="Features">Features, first dimension = batch.</param>
/// <param name="Labels">Labels or targets, first dimension = batch.</param>
/// <remarks>Introduced in chapter 01 (basics), where the optimizers and the digits classifier train in mini-batches.</remarks>
public sealed record Batch(Tensor Features, Tensor Labels) : IDisposable
{
    /// <summary>Number of examples in the batch.</summary>
    public long Size => Features.shape[0];

    /// <summary>Frees the batch's tensors (the loader does this itself when it moves on).</summary>
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}

/// <summary>
/// Mini-batches over a pair of tensors (features, labels), optionally reshuffled every epoch with a
/// seeded generator, optionally moved to a device. The loader owns each batch and disposes it when
/// the loop moves to the next one (or ends), so native memory stays flat across epochs; clone a
/// batch tensor to keep it.
/// </summary>
/// <remarks>
/// Introduced in chapter 01 (basics). Epoch <c>e</c> (counted per enumeration) is shuffled with
/// seed <c>seed + e</c>, so a run is reproducible and epochs differ. A small class instead of
/// TorchSharp's <c>torch.utils.data.DataLoader</c> so that batch ownership is explicit and
/// the index shuffle is identical on every backend.
/// </remarks>
public sealed class DataLoader : IEnumerable<Batch>
{
    private readonly Tensor _features;
    private readonly Tensor _labels;
    private int _epoch;

    /// <summary>Creates a loader.</summary>
    /// <param name="features">Features, first dimension = examples.</param>
    /// <param name="labels">Labels, first dimension = examples.</param>
    /// <param name="batchSize">Examples per batch.</param>
    /// <param name="shuffle">Reshuffle every epoch.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="device">Device to move each batch to (<see langword="null"/>: leave where the data is).</param>
    /// <param name="dropLast">Skip a final batch smaller than <paramref name="batchSize"/>.</param>
    public DataLoader(Tensor features, Tensor labels, int batchSize, bool shuffle = false, int seed = 0, Device? device = null, bool dropLast = false)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size must be at least 1");
        if (features.shape[0] != labels.shape[0])
            throw new ArgumentException($"features have {features.shape[0]} examples but labels have {labels.shape[0]}", nameof(labels));
        _features = features;
        _labels = labels;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        Device = device;
        DropLast = dropLast;
    }

    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether every epoch is reshuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Seed of the shuffle.</summary>
    public int Seed { get; }

    /// <summary>Where batches are moved, if anywhere.</summary>
    public Device? Device { get; }

    /// <summary>Whether a final short batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Number of examples.</summary>
    public long Examples => _features.shape[0];

    /// <summary>Number of batches per epoch.</summary>
    public int Count => (int)(DropLast ? Examples / BatchSize : (Examples + BatchSize - 1) / BatchSize);

    /// <summary>Iterates one epoch of batches.</summary>
    /// <returns>The batches; each is disposed when the next is produced or the loop ends.</returns>
    public IEnumerator<Batch> GetEnumerator()
    {
        var n = (int)Examples;
        var order = Shuffle ? Splits.Permutation(n, Seed + _epoch) : null;
        _epoch++;
        Batch? current = null;
        try
        {
            for (var start = 0; start < n; start += BatchSize)
            {
                var size = Math.Min(BatchSize, n - start);
                if (size < BatchSize && DropLast) break;
                current?.Dispose();
                current = Make(order, start, size);
                yield return current;
            }
        }
        finally
        {
            current?.Dispose();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Batch Make(int[]? order, int start, int size)
    {
        using var scope = torch.NewDisposeScope();
        Tensor x, y;
        if (order is null)
        {
            x = _features.narrow(0, start, size);
            y = _labels.narrow(0, start, size);
        }
        else
        {
            var rows = new long[size];
            for (var i = 0; i < size; i++) rows[i] = order[start + i];
            var index = torch.tensor(rows, device: _features.device);
            x = _features.index_select(0, index);
            y = _labels.index_select(0, index);
        }
        if (Device is { } device && (device.type != x.device.type || device.index != x.device.index))
        {
            x = x.to(device);
            y = y.to(device);
        }
        return new Batch(x.DetachFromDisposeScope(), y.DetachFromDisposeScope());
    }
}
