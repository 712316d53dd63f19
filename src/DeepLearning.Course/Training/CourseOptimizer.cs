using DeepLearning.Course.Platform;
using TorchSharp.Modules;

namespace DeepLearning.Course.Training;

/// <summary>What the course's optimizers share.</summary>
internal static class CourseOptimizer
{
    /// <summary>Fills every parameter's gradient with 0 (<c>zero_()</c> would leave a native scalar per parameter).</summary>
    public static void ZeroGradients(IEnumerable<TorchSharp.Modules.ParamGroup> groups)
    {
        foreach (var group in groups)
            foreach (var p in group.Parameters)
            {
                using var grad = p.grad;
                grad?.fill_(NativeScalars.Zero);
            }
    }
}
