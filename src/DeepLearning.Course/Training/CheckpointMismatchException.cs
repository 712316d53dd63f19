using static TorchSharp.torch;

namespace DeepLearning.Course.Training;

/// <summary>Thrown when a checkpoint's tensors do not match the model it is loaded into.</summary>
/// <remarks>Introduced in chapter 02 (MLP), with checkpoints.</remarks>
public sealed class CheckpointMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception from the list of differences.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="problems">One line per differing tensor.</param>
    public CheckpointMismatchException(string path, IReadOnlyList<string> problems)
        : base($"Checkpoint '{path}' does not match the model ({problems.Count} difference{(problems.Count == 1 ? "" : "s")}); " +
               "was it saved from a model with different layer sizes or names?\n  " + string.Join("\n  ", problems))
    {
        Problems = problems;
    }

    /// <summary>One line per differing tensor (missing, unexpected, or different shape/dtype).</summary>
    public IReadOnlyList<string> Problems { get; }
}
