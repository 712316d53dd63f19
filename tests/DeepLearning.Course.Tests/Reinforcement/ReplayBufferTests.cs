using DeepLearning.Course.Reinforcement;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Reinforcement;

/// <summary>The replay memory: overwrites the oldest when full, samples only what it holds, repeatably, as tensors.</summary>
public class ReplayBufferTests
{
    private static double[] Obs(double v) => [v, -v];

    [Fact]
    public void A_full_buffer_overwrites_its_oldest_transitions()
    {
        // Given a buffer of 3
        var buffer = new ReplayBuffer(3, 2);
        // When 5 transitions are added (rewards 0 to 4)
        for (var i = 0; i < 5; i++) buffer.Add(Obs(i), i % 2, i, Obs(i + 1), false);
        // Then it holds the last 3: slots 0 and 1 were overwritten by the 4th and 5th
        Assert.Equal(3, buffer.Count);
        Assert.Equal(5, buffer.Added);
        Assert.Equal(new[] { 3f, 4f, 2f }, Enumerable.Range(0, 3).Select(buffer.RewardAt));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.RewardAt(3));
    }

    [Fact]
    public void Sampling_draws_only_filled_slots_uniformly_and_repeats_with_the_seed()
    {
        // Given 10 transitions in a buffer of 100
        var buffer = new ReplayBuffer(100, 2);
        for (var i = 0; i < 10; i++) buffer.Add(Obs(i), 0, i, Obs(i), false);
        // When 20,000 slots are drawn
        var drawn = buffer.SampleIndices(20_000, new Random(1));
        // Then all are filled slots, each about equally often, and the same seed draws the same slots
        Assert.All(drawn, i => Assert.InRange(i, 0, 9));
        Assert.All(drawn.GroupBy(i => i), g => Assert.InRange(g.Count(), 1800, 2200));
        Assert.Equal(buffer.SampleIndices(64, new Random(2)), buffer.SampleIndices(64, new Random(2)));
        Assert.Throws<InvalidOperationException>(() => new ReplayBuffer(4, 2).SampleIndices(1, new Random(0)));
    }

    [Fact]
    public void A_sampled_batch_holds_the_stored_transitions_with_zero_discount_where_they_terminated()
    {
        // Given transitions whose reward names their slot, every third terminated
        var buffer = new ReplayBuffer(50, 2);
        for (var i = 0; i < 30; i++) buffer.Add(Obs(i), i % 2, i, Obs(i + 0.5), i % 3 == 0);
        // When a batch of 16 is drawn
        using var scope = NewDisposeScope();
        var batch = buffer.Sample(16, new Random(0), gamma: 0.9);
        // Then the shapes and types are a Q-network's, and every row is one stored transition
        Assert.Equal(new long[] { 16, 2 }, batch.States.shape);
        Assert.Equal(new long[] { 16, 2 }, batch.NextStates.shape);
        Assert.Equal(ScalarType.Int64, batch.Actions.dtype);
        var rewards = batch.Rewards.data<float>().ToArray();
        var discounts = batch.Discounts.data<float>().ToArray();
        var actions = batch.Actions.data<long>().ToArray();
        for (var b = 0; b < 16; b++)
        {
            var i = (int)rewards[b];
            Assert.Equal(i, batch.States[b, 0].item<float>());
            Assert.Equal(i + 0.5f, batch.NextStates[b, 0].item<float>());
            Assert.Equal(i % 2, actions[b]);
            Assert.Equal(i % 3 == 0 ? 0f : 0.9f, discounts[b]);
        }
    }
}
