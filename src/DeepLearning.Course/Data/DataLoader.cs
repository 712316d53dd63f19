using System.Collections;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Data;

/// <summary>One mini-batch: features and, for labelled data, labels (targets).</summary>
/// <param name="Features">Features, first dimension = batch.</param>
/// <param name="Labels">Labels or targets, first dimension = batch; <see langword="null"/> for unlabelled data (a GAN's real images, inputs to predict on).</param>
/// <remarks>Introduced in chapter 01 (basics), where the optimizers and the digits classifier train in mini-batches.</remarks>
public sealed record Batch(Tensor Features, Tensor? Labels = null) : IDisposable
{
    /// <summary>Number of examples in the batch.</summary>
    public long Size => Features.shape[0];

    /// <summary>Frees the batch's tensors (the loader does this itself when it moves on).</summary>
    public void Dispose()
    {
        Features.Dispose();
        Labels?.Dispose();
    }
}

/// <summary>
/// Mini-batches over features and optional labels, optionally reshuffled every epoch with a
/// seeded generator, optionally moved to a device, optionally transformed batch by batch
/// (<see cref="Select"/>). The loader owns each batch and disposes it when the loop moves to the
/// next one (or ends), so native memory stays flat across epochs; clone a batch tensor to keep it.
/// The <c>Trainer</c> (<c>Fit</c>, <c>Evaluate</c>, <c>Predict</c>) and the <c>GanTrainer</c> take it directly.
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
    private readonly Tensor? _labels;
    private readonly DataLoader? _source;
    private readonly Func<Batch, Batch>? _transform;
    private int _epoch;

    /// <summary>Creates a loader of labelled batches.</summary>
    /// <param name="features">Features, first dimension = examples.</param>
    /// <param name="labels">Labels, first dimension = examples; <see langword="null"/> for unlabelled data.</param>
    /// <param name="batchSize">Examples per batch.</param>
    /// <param name="shuffle">Reshuffle every epoch.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="device">Device to move each batch to (<see langword="null"/>: leave where the data is).</param>
    /// <param name="dropLast">Skip a final batch smaller than <paramref name="batchSize"/>.</param>
    public DataLoader(Tensor features, Tensor? labels, int batchSize, bool shuffle = false, int seed = 0, Device? device = null, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size must be at least 1");
        if (labels is not null && features.shape[0] != labels.shape[0])
            throw new ArgumentException($"features have {features.shape[0]} examples but labels have {labels.shape[0]}", nameof(labels));
        _features = features;
        _labels = labels;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        Device = device;
        DropLast = dropLast;
    }

    /// <summary>Creates a loader of unlabelled batches (features only; <see cref="Batch.Labels"/> is <see langword="null"/>).</summary>
    /// <param name="features">Features, first dimension = examples.</param>
    /// <param name="batchSize">Examples per batch.</param>
    /// <param name="shuffle">Reshuffle every epoch.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="device">Device to move each batch to (<see langword="null"/>: leave where the data is).</param>
    /// <param name="dropLast">Skip a final batch smaller than <paramref name="batchSize"/>.</param>
    public DataLoader(Tensor features, int batchSize, bool shuffle = false, int seed = 0, Device? device = null, bool dropLast = false)
        : this(features, null, batchSize, shuffle, seed, device, dropLast)
    {
    }

    private DataLoader(DataLoader source, Func<Batch, Batch> transform)
        : this(source._features, source._labels, source.BatchSize, source.Shuffle, source.Seed, source.Device, source.DropLast)
    {
        _source = source;
        _transform = transform;
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

    /// <summary>Whether batches carry labels.</summary>
    public bool HasLabels => _labels is not null;

    /// <summary>Number of examples.</summary>
    public long Examples => _features.shape[0];

    /// <summary>Number of batches per epoch.</summary>
    public int Count => (int)(DropLast ? Examples / BatchSize : (Examples + BatchSize - 1) / BatchSize);

    /// <summary>
    /// A loader of transformed batches, e.g. <c>loader.Select(b =&gt; b with { Features = Augment.RandomHorizontalFlip(b.Features) })</c>:
    /// a view of this loader (it shares this loader's epochs and shuffle), whose batches are <paramref name="transform"/>'s results,
    /// disposed like this loader's own when the loop moves on. Tensors the transform creates on the way are freed at once.
    /// </summary>
    /// <param name="transform">Maps a batch to a new one; it may return the input's tensors (they stay the source batch's).</param>
    /// <returns>The transformed loader.</returns>
    public DataLoader Select(Func<Batch, Batch> transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return new DataLoader(this, transform);
    }

    /// <summary>Iterates one epoch of batches.</summary>
    /// <returns>The batches; each is disposed when the next is produced or the loop ends.</returns>
    public IEnumerator<Batch> GetEnumerator() => _source is null ? Read() : Transformed(_source, _transform!);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<Batch> Read()
    {
        var n = (int)Examples;
        // The epoch's shuffled order as one index tensor; each batch reads a slice of it (a view, no copy).
        var order = Shuffle ? OrderTensor(Splits.Permutation(n, Seed + _epoch), _features.device) : null;
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
            order?.Dispose();
        }
    }

    private static Tensor OrderTensor(int[] permutation, Device device)
    {
        using var scope = torch.NewDisposeScope();
        return torch.tensor(Array.ConvertAll(permutation, i => (long)i), device: device).DetachFromDisposeScope();
    }

    private static IEnumerator<Batch> Transformed(DataLoader source, Func<Batch, Batch> transform)
    {
        OwnedBatch? current = null;
        try
        {
            foreach (var batch in source)
            {
                current?.Dispose();
                current = new OwnedBatch(batch, Apply(transform, batch));
                yield return current.Value.Result;
            }
        }
        finally
        {
            current?.Dispose();
        }
    }

    // Runs the transform in its own scope: its intermediate tensors die at once, its results are kept.
    private static Batch Apply(Func<Batch, Batch> transform, Batch batch)
    {
        using var scope = torch.NewDisposeScope();
        var result = transform(batch);
        result.Features.DetachFromDisposeScope();
        result.Labels?.DetachFromDisposeScope();
        return result;
    }

    /// <summary>A transformed batch; disposing frees only the tensors the transform made (the source batch frees its own).</summary>
    private readonly record struct OwnedBatch(Batch Source, Batch Result) : IDisposable
    {
        public void Dispose()
        {
            if (!ReferenceEquals(Result.Features, Source.Features) && !ReferenceEquals(Result.Features, Source.Labels)) Result.Features.Dispose();
            if (Result.Labels is { } labels && !ReferenceEquals(labels, Source.Labels) && !ReferenceEquals(labels, Source.Features)) labels.Dispose();
        }
    }

    private Batch Make(Tensor? order, int start, int size)
    {
        using var scope = torch.NewDisposeScope();
        Tensor x;
        Tensor? y;
        if (order is null)
        {
            x = _features.narrow(0, start, size);
            y = _labels?.narrow(0, start, size);
        }
        else
        {
            var index = order.narrow(0, start, size);
            x = _features.index_select(0, index);
            y = _labels?.index_select(0, index);
        }
        if (Device is { } device && (device.type != x.device.type || device.index != x.device.index))
        {
            x = x.to(device);
            y = y?.to(device);
        }
        return new Batch(x.DetachFromDisposeScope(), y?.DetachFromDisposeScope());
    }
}
