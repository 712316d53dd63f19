using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Course.Platform;

/// <summary>
/// Reads one number out of a tensor, and holds the constants the library passes to libtorch, without leaving
/// native objects for the garbage collector.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>item&lt;T&gt;()</c>, <c>ToSingle()</c> and <c>ToDouble()</c> go through a native
/// <see cref="Scalar"/> they never dispose (dispose scopes do not track scalars), so each read leaves one block in the
/// native heap until a .NET collection finalizes it; a training loop reads its loss every step. Such leftovers sit
/// between the large blocks libtorch frees and re-allocates each step and keep glibc from reusing them (found
/// profiling chapter 04's LSTM; see <see cref="Training.CourseAdam"/>). Here the scalar is disposed at once.
/// </remarks>
internal static class NativeScalars
{
    /// <summary>0, for <c>fill_</c> (TorchSharp's <c>zero_()</c> leaves a scalar behind).</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>1, the explicit <c>alpha</c> for <c>add</c>/<c>add_</c> (their one-argument overloads leave one behind).</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The single element of <paramref name="t"/> (any dtype) as a double.</summary>
    public static double ToDouble(Tensor t)
    {
        using var s = t.ToScalar();
        return s.ToDouble();
    }

    /// <summary>The single element of <paramref name="t"/> (an integer or boolean tensor) as a long.</summary>
    public static long ToInt64(Tensor t)
    {
        using var s = t.ToScalar();
        return s.ToInt64();
    }
}
