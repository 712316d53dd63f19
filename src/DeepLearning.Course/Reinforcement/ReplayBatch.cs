using static TorchSharp.torch;

namespace DeepLearning.Course.Reinforcement;

/// <summary>A minibatch of transitions drawn from a <see cref="ReplayBuffer"/>, as tensors.</summary>
/// <param name="States">Observations <c>(B, obs)</c>, float32.</param>
/// <param name="Actions">Actions taken <c>(B)</c>, int64.</param>
/// <param name="Rewards">Rewards <c>(B)</c>, float32.</param>
/// <param name="NextStates">Observations after the step <c>(B, obs)</c>, float32.</param>
/// <param name="Discounts">γ where the step did not terminate, 0 where it did <c>(B)</c>, float32: the factor of the
/// next state's value in the target r + γ max Q(s′).</param>
/// <remarks>Introduced in chapter 10 (reinforcement learning), with <see cref="ReplayBuffer"/>.</remarks>
public sealed record ReplayBatch(Tensor States, Tensor Actions, Tensor Rewards, Tensor NextStates, Tensor Discounts);
