using static TorchSharp.torch;

namespace DeepLearning.Course;

/// <summary>
/// Shape checks before native calls that cannot report an error. TorchSharp 0.107's native
/// <c>THSTensor_matmul</c> (behind <c>Tensor.matmul</c> and <c>torch.matmul</c>) is the one tensor
/// operation it exports without catching libtorch's C++ exception, so a shape mismatch there does not
/// throw in .NET: it aborts the whole process (a notebook kernel loses every variable). The library's
/// own <c>matmul</c> calls go through <see cref="MatMul"/>, which checks the shapes first and throws an
/// <see cref="ArgumentException"/> naming both shapes.
/// </summary>
internal static class ShapeChecks
{
    /// <summary><c>a.matmul(b)</c> after checking that the shapes can be multiplied.</summary>
    /// <param name="a">Left operand (at least 1-D).</param>
    /// <param name="b">Right operand (at least 1-D).</param>
    /// <param name="what">What is being multiplied, for the message (e.g. <c>"queries by keys"</c>).</param>
    /// <returns>The product.</returns>
    /// <exception cref="ArgumentException">The shapes cannot be multiplied.</exception>
    public static Tensor MatMul(Tensor a, Tensor b, string what)
    {
        CheckMatMul(a.shape, b.shape, what);
        return a.matmul(b);
    }

    /// <summary>Throws when <c>matmul</c> of tensors shaped <paramref name="a"/> and <paramref name="b"/> would fail.</summary>
    /// <param name="a">Shape of the left operand.</param>
    /// <param name="b">Shape of the right operand.</param>
    /// <param name="what">What is being multiplied, for the message.</param>
    /// <exception cref="ArgumentException">The shapes cannot be multiplied.</exception>
    public static void CheckMatMul(long[] a, long[] b, string what)
    {
        string Fail(string why) =>
            $"{what}: cannot matrix-multiply a tensor of shape {Format(a)} by one of shape {Format(b)}: {why}. " +
            "Print the shapes of both tensors (.shape) just before this call; a transpose (.transpose(-2, -1)) or a reshape is usually missing.";
        if (a.Length == 0 || b.Length == 0)
            throw new ArgumentException(Fail("both must have at least one dimension"));
        var inner = b.Length == 1 ? b[0] : b[^2];
        if (a[^1] != inner)
            throw new ArgumentException(Fail($"the last dimension of the first ({a[^1]}) must equal the {(b.Length == 1 ? "length" : "second-to-last dimension")} of the second ({inner})"));
        if (a.Length > 2 && b.Length > 2 || a.Length > 2 && b.Length == 2 || a.Length == 2 && b.Length > 2)
        {
            var (batchA, batchB) = (a[..^2], b[..^2]);
            for (var i = 1; i <= Math.Min(batchA.Length, batchB.Length); i++)
            {
                var (x, y) = (batchA[^i], batchB[^i]);
                if (x != y && x != 1 && y != 1)
                    throw new ArgumentException(Fail($"their batch dimensions {Format(batchA)} and {Format(batchB)} cannot be broadcast together"));
            }
        }
    }

    /// <summary><c>[2, 3, 4]</c>.</summary>
    /// <param name="shape">A shape.</param>
    /// <returns>The shape as text.</returns>
    public static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";
}
