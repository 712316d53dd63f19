using static TorchSharp.torch;

namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// Experience replay (Lin 1992; Mnih et al. 2015): a fixed-size memory of transitions (s, a, r, s′, terminated) that
/// overwrites its oldest entry when full, and minibatches drawn uniformly (with replacement) from what it holds. Sampling
/// old and new experience together breaks the correlation of consecutive steps that makes online Q-learning with a
/// network unstable.
/// </summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning), with <see cref="DqnAgent"/>. Transitions are kept in
/// managed arrays (no native memory per step); only a sampled batch becomes tensors.</remarks>
public sealed class ReplayBuffer
{
    private readonly float[] _states;
    private readonly float[] _nextStates;
    private readonly long[] _actions;
    private readonly float[] _rewards;
    private readonly bool[] _terminated;
    private int _position;

    /// <summary>Creates an empty buffer.</summary>
    /// <param name="capacity">Transitions kept (the oldest is overwritten beyond it).</param>
    /// <param name="observationSize">Numbers per observation.</param>
    public ReplayBuffer(int capacity, int observationSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(observationSize, 1);
        Capacity = capacity;
        ObservationSize = observationSize;
        _states = new float[capacity * observationSize];
        _nextStates = new float[capacity * observationSize];
        _actions = new long[capacity];
        _rewards = new float[capacity];
        _terminated = new bool[capacity];
    }

    /// <summary>The most transitions it holds.</summary>
    public int Capacity { get; }

    /// <summary>Numbers per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Transitions held now (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Transitions added since creation (counting overwritten ones).</summary>
    public long Added { get; private set; }

    /// <summary>Stores one transition, overwriting the oldest when full.</summary>
    /// <param name="state">The observation the step started from.</param>
    /// <param name="action">The action taken.</param>
    /// <param name="reward">The reward received.</param>
    /// <param name="nextState">The observation after the step.</param>
    /// <param name="terminated">Whether the step ended the task (a truncated step is not terminated: its next state still has a value).</param>
    public void Add(double[] state, int action, double reward, double[] nextState, bool terminated)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(nextState);
        if (state.Length != ObservationSize || nextState.Length != ObservationSize)
            throw new ArgumentException($"Observations have {ObservationSize} numbers here; got {state.Length} and {nextState.Length}.");
        var offset = _position * ObservationSize;
        for (var i = 0; i < ObservationSize; i++)
        {
            _states[offset + i] = (float)state[i];
            _nextStates[offset + i] = (float)nextState[i];
        }
        _actions[_position] = action;
        _rewards[_position] = (float)reward;
        _terminated[_position] = terminated;
        _position = (_position + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
        Added++;
    }

    /// <summary>The action of the transition in slot <paramref name="index"/> (for inspection and tests).</summary>
    /// <param name="index">A slot in <c>[0, Count)</c>.</param>
    /// <returns>The stored action.</returns>
    public long ActionAt(int index) => _actions[CheckSlot(index)];

    /// <summary>The reward of the transition in slot <paramref name="index"/>.</summary>
    /// <param name="index">A slot in <c>[0, Count)</c>.</param>
    /// <returns>The stored reward.</returns>
    public float RewardAt(int index) => _rewards[CheckSlot(index)];

    /// <summary>Draws <paramref name="batchSize"/> slots uniformly from the filled part, with replacement.</summary>
    /// <param name="batchSize">How many.</param>
    /// <param name="random">The generator (seeded by the agent, so runs repeat).</param>
    /// <returns>Slot indices.</returns>
    /// <exception cref="InvalidOperationException">The buffer is empty.</exception>
    public int[] SampleIndices(int batchSize, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Count == 0) throw new InvalidOperationException("The replay buffer is empty: add transitions before sampling.");
        var indices = new int[batchSize];
        for (var i = 0; i < batchSize; i++) indices[i] = random.Next(Count);
        return indices;
    }

    /// <summary>Draws a minibatch as tensors (created in the caller's dispose scope).</summary>
    /// <param name="batchSize">Transitions per batch.</param>
    /// <param name="random">The generator.</param>
    /// <param name="gamma">Discount written into <see cref="ReplayBatch.Discounts"/> for non-terminal steps.</param>
    /// <returns>The batch.</returns>
    public ReplayBatch Sample(int batchSize, Random random, double gamma)
    {
        var indices = SampleIndices(batchSize, random);
        var n = ObservationSize;
        var (states, next) = (new float[batchSize * n], new float[batchSize * n]);
        var (actions, rewards, discounts) = (new long[batchSize], new float[batchSize], new float[batchSize]);
        for (var b = 0; b < batchSize; b++)
        {
            var slot = indices[b];
            Array.Copy(_states, slot * n, states, b * n, n);
            Array.Copy(_nextStates, slot * n, next, b * n, n);
            actions[b] = _actions[slot];
            rewards[b] = _rewards[slot];
            discounts[b] = _terminated[slot] ? 0f : (float)gamma;
        }
        return new ReplayBatch(OwnedTensors.From(states, batchSize, n), tensor(actions), OwnedTensors.From(rewards, batchSize),
            OwnedTensors.From(next, batchSize, n), OwnedTensors.From(discounts, batchSize));
    }

    private int CheckSlot(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index;
    }
}
