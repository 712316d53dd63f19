
namespace DeepLearning.Course.Training;

/// <summary>Whether a monitored quantity should go down (losses) or up (accuracy).</summary>
/// <remarks>Introduced in chapter 02 (MLP), with early stopping.</remarks>
public enum MonitorMode
{
    /// <summary>Smaller is better.</summary>
    Min,

    /// <summary>Larger is better.</summary>
    Max,
}
