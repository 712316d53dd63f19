using static TorchSharp.torch;

namespace DeepLearning.Course;

/// <summary>
/// Tensors made from .NET arrays and copied into libtorch's own memory. <c>torch.tensor(array)</c> keeps its data in a
/// pinned managed array, whose address (so its alignment modulo 64 bytes) depends on where the garbage collector put
/// it, which differs from one process to the next; MKL's matrix kernels take different paths for different alignments,
/// so one computation rounds differently in different processes. Where such a tensor goes straight into a layer, over
/// and over, as observations do in reinforcement learning, the differences grow into different learned weights: chapter
/// 10's REINFORCE scored 245.6 in one run and 243.9 in the next with the same seed. libtorch's allocator aligns every
/// block to 64 bytes, so a copy it made computes the same in every process (and in both notebook hosts).
/// </summary>
internal static class OwnedTensors
{
    /// <summary>A float32 tensor of <paramref name="shape"/> holding <paramref name="values"/>, in libtorch's memory.</summary>
    /// <param name="values">The values, row-major.</param>
    /// <param name="shape">The shape (its product must equal the number of values).</param>
    /// <returns>A new tensor, registered in the current dispose scope.</returns>
    public static Tensor From(float[] values, params long[] shape)
    {
        using var pinned = tensor(values, shape);
        return pinned.clone();
    }
}
