using DeepLearning.Course.Training;

namespace DeepLearning.Course.Visualization;

/// <summary>One named curve: x and y values of equal length.</summary>
/// <param name="Name">Legend name.</param>
/// <param name="X">X values.</param>
/// <param name="Y">Y values.</param>
/// <remarks>Introduced in chapter 01 (basics), for loss curves.</remarks>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>A curve of <paramref name="y"/> against its index: <c>0 .. n-1</c> (steps), or from <paramref name="firstX"/> on (<c>firstX: 1</c> for one value per epoch).</summary>
    /// <param name="name">Legend name.</param>
    /// <param name="y">Y values.</param>
    /// <param name="firstX">The first value's x; each next value's is one more.</param>
    public Series(string name, IReadOnlyList<double> y, int firstX = 0) : this(name, Charts.Indices(y.Count, firstX), y)
    {
    }

    /// <summary>One key of a training history against the epoch number.</summary>
    /// <param name="history">A history from <c>Trainer.Fit</c> or <c>GanTrainer.Fit</c>.</param>
    /// <param name="key">A key such as <c>valid_accuracy</c>.</param>
    /// <param name="name">Legend name; <c>null</c> uses <paramref name="key"/>.</param>
    /// <returns>The curve.</returns>
    public static Series From(History history, string key, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new(name ?? key, history.Epochs.Select(e => (double)e.Epoch).ToArray(), history[key]);
    }
}
