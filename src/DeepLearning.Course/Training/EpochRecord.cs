using System.Globalization;

namespace DeepLearning.Course.Training;

/// <summary>One epoch's numbers: losses and metrics by key (<c>train_loss</c>, <c>valid_accuracy</c>, ...).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Values">Values by key.</param>
/// <param name="Duration">Wall-clock time of the epoch (training and validation).</param>
/// <param name="LearningRate">Learning rate used during the epoch.</param>
/// <remarks>Introduced in chapter 01 (basics), as rows of the <see cref="History"/>.</remarks>
public sealed record EpochRecord(int Epoch, IReadOnlyDictionary<string, double> Values, TimeSpan Duration, double LearningRate)
{
    /// <summary>The value for <paramref name="key"/>.</summary>
    /// <param name="key">A key such as <c>valid_loss</c>.</param>
    public double this[string key] => Values[key];

    /// <summary>One line: <c>epoch 3  train_loss 0.412  valid_loss 0.455  (1.2 s)</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString()
    {
        var values = string.Join("  ", Values.Select(kv => $"{kv.Key} {kv.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
        return $"epoch {Epoch}  {values}  ({Duration.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s)";
    }
}
