using DeepLearning.Course.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Data;

public class DataLoaderTests
{
    [Fact]
    public void Batches_cover_every_example_once_per_epoch_with_a_short_last_batch()
    {
        // Given 10 examples whose feature equals their index
        using var x = arange(10, dtype: ScalarType.Float32).reshape(10, 1);
        using var y = arange(10, dtype: ScalarType.Int64);
        var loader = new DataLoader(x, y, batchSize: 4, shuffle: true, seed: 5);

        // When one epoch is iterated
        var seen = new List<long>();
        var sizes = new List<long>();
        foreach (var (features, labels) in loader)
        {
            sizes.Add(features.shape[0]);
            seen.AddRange(labels!.data<long>().ToArray());
            // features and labels stay paired
            Assert.Equal(labels.to_type(ScalarType.Float32).data<float>().ToArray(), features.reshape(-1).data<float>().ToArray());
        }

        // Then every index appears exactly once, in batches of 4, 4, 2
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), seen.Order());
        Assert.Equal([4L, 4L, 2L], sizes);
        Assert.Equal(3, loader.Count);
    }

    [Fact]
    public void Shuffling_is_seeded_reproducible_and_differs_between_epochs()
    {
        using var x = arange(100, dtype: ScalarType.Float32).reshape(100, 1);
        using var y = arange(100, dtype: ScalarType.Int64);
        static List<long> Epoch(DataLoader loader) => loader.SelectMany(b => b.Labels!.data<long>().ToArray()).ToList();

        // Given two loaders with the same seed and one unshuffled loader
        var a = new DataLoader(x, y, 16, shuffle: true, seed: 1);
        var b = new DataLoader(x, y, 16, shuffle: true, seed: 1);
        var plain = new DataLoader(x, y, 16);

        // When epochs are drawn
        var a1 = Epoch(a);
        var a2 = Epoch(a);
        var b1 = Epoch(b);

        // Then the same seed gives the same order, the next epoch another, and no shuffle keeps order
        Assert.Equal(a1, b1);
        Assert.NotEqual(a1, a2);
        Assert.NotEqual(Enumerable.Range(0, 100).Select(i => (long)i), a1);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), Epoch(plain));
    }

    [Fact]
    public void A_shuffled_epoch_serves_the_rows_of_the_seeded_permutation_in_order()
    {
        // Given 10 examples whose feature equals their index, shuffled with seed 3
        using var x = arange(10, dtype: ScalarType.Int64).reshape(10, 1);
        var loader = new DataLoader(x, batchSize: 4, shuffle: true, seed: 3);

        // When two epochs are read
        // Then epoch e serves Splits.Permutation(10, 3 + e) batch by batch: the order every chapter's numbers were measured with
        for (var epoch = 0; epoch < 2; epoch++)
        {
            var served = loader.SelectMany(b => b.Features.reshape(-1).data<long>().ToArray()).ToArray();
            Assert.Equal(Splits.Permutation(10, 3 + epoch).Select(i => (long)i), served);
        }
    }

    [Fact]
    public void Drop_last_skips_the_short_batch()
    {
        using var x = zeros(10, 3);
        using var y = zeros(10, dtype: ScalarType.Int64);
        var loader = new DataLoader(x, y, 4, dropLast: true);
        Assert.Equal(2, loader.Count);
        Assert.Equal(2, loader.Count());
    }

    [Fact]
    public void Batches_are_disposed_by_the_loader_so_live_tensors_stay_flat_across_epochs()
    {
        // Given a shuffled loader and a per-batch dispose scope, the course's memory idiom
        using var x = randn(256, 8);
        using var y = randint(0, 3, 256);
        var loader = new DataLoader(x, y, 32, shuffle: true);
        long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        // When several epochs run
        void RunEpoch()
        {
            foreach (var batch in loader)
            {
                using var scope = NewDisposeScope();
                var loss = batch.Features.sum() * 2;
                Assert.False(float.IsNaN(loss.item<float>()));
            }
        }
        RunEpoch();
        var before = Live();
        for (var e = 0; e < 5; e++) RunEpoch();

        // Then no tensors accumulate
        Assert.Equal(before, Live());
    }

    [Fact]
    public void An_unlabelled_loader_serves_features_only()
    {
        // Given 10 examples and no labels
        using var x = arange(10, dtype: ScalarType.Float32).reshape(10, 1);
        var loader = new DataLoader(x, batchSize: 4, shuffle: true, seed: 2);

        // When one epoch is iterated
        var batches = loader.Select(b => (Rows: b.Features.reshape(-1).data<float>().ToArray(), b.Labels)).ToList();

        // Then every example appears once, in batches of 4, 4, 2, none with labels
        Assert.False(loader.HasLabels);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), batches.SelectMany(b => b.Rows).Order());
        Assert.Equal([4, 4, 2], batches.Select(b => b.Rows.Length));
        Assert.All(batches, b => Assert.Null(b.Labels));
    }

    [Fact]
    public void Select_transforms_every_batch_on_the_source_shuffle_and_frees_what_it_made()
    {
        // Given a shuffled loader and a transform that doubles the features (through an intermediate tensor)
        using var x = arange(12, dtype: ScalarType.Float32).reshape(12, 1);
        using var y = arange(12, dtype: ScalarType.Int64);
        var plain = new DataLoader(x, y, 5, shuffle: true, seed: 4);
        var doubled = new DataLoader(x, y, 5, shuffle: true, seed: 4).Select(b => b with { Features = (b.Features + 0) * 2 });
        long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        // When an epoch of each is read, keeping the first mapped batch to look at it afterwards
        var expected = plain.Select(b => (b.Features.reshape(-1).data<float>().Select(v => v * 2).ToArray(), b.Labels!.data<long>().ToArray())).ToList();
        var before = Live();
        var seen = new List<(float[] X, long[] Y)>();
        Batch? first = null;
        foreach (var batch in doubled)
        {
            using var scope = NewDisposeScope();
            first ??= batch;
            seen.Add((batch.Features.reshape(-1).data<float>().ToArray(), batch.Labels!.data<long>().ToArray()));
        }

        // Then the batches are the source's, transformed, in the source's order; the labels pass through;
        // the mapped batches were freed when the loop moved on, and no intermediate tensor is left
        Assert.Equal(expected.Select(e => e.Item1), seen.Select(s => s.X));
        Assert.Equal(expected.Select(e => e.Item2), seen.Select(s => s.Y));
        Assert.Equal(3, doubled.Count);
        Assert.True(first!.Features.IsInvalid);
        Assert.Equal(before, Live());
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        using var x = zeros(10, 3);
        using var y = zeros(9, dtype: ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => new DataLoader(x, y, 4));
    }
}
