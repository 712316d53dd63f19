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
            seen.AddRange(labels.data<long>().ToArray());
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
        static List<long> Epoch(DataLoader loader) => loader.SelectMany(b => b.Labels.data<long>().ToArray()).ToList();

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
    public void Mismatched_lengths_are_rejected()
    {
        using var x = zeros(10, 3);
        using var y = zeros(9, dtype: ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => new DataLoader(x, y, 4));
    }
}
