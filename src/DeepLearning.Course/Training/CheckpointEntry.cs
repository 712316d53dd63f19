using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>One tensor in a checkpoint: its state-dict name, dtype and shape.</summary>
/// <param name="Name">State-dict key, e.g. <c>net.0.weight</c>.</param>
/// <param name="DType">PyTorch dtype name, e.g. <c>float32</c>.</param>
/// <param name="Shape">The tensor's shape.</param>
/// <remarks>Introduced in chapter 02 (MLP), with checkpoints.</remarks>
public sealed record CheckpointEntry(string Name, string DType, long[] Shape)
{
    /// <summary><c>name [d0, d1] dtype</c>.</summary>
    /// <returns>One line.</returns>
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}] {DType}";
}
