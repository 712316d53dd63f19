using TorchSharp;

namespace DeepLearning.Course.Data;

/// <summary>Sliding-window (X, y) pairs for forecasting, split chronologically, standardised with training statistics.</summary>
/// <param name="Train">Earliest windows.</param>
/// <param name="Validation">Windows whose targets follow the training targets.</param>
/// <param name="Test">Latest windows.</param>
/// <param name="Mean">Mean of the training part of the series (subtracted).</param>
/// <param name="Std">Standard deviation of the training part (divided by).</param>
/// <remarks>
/// Introduced in chapter 04 (RNN forecasting). Features are float32 [N, window, 1] (batch, time, feature) and
/// targets float32 [N, horizon]; <see cref="LabeledSplit.SourceIndices"/> are the series index of each window's
/// first target, so targets of different splits never overlap and later splits only predict later times.
/// </remarks>
public sealed record ForecastingData(LabeledSplit Train, LabeledSplit Validation, LabeledSplit Test, float Mean, float Std) : IDisposable
{
    /// <summary>
    /// Cuts a series chronologically (train first, test last) and builds windows of <paramref name="window"/>
    /// past values predicting the next <paramref name="horizon"/> values. Validation and test windows may look
    /// back into the previous part for their inputs, never forward.
    /// </summary>
    /// <param name="series">The (filled) series.</param>
    /// <param name="window">Past steps per input.</param>
    /// <param name="horizon">Future steps per target.</param>
    /// <param name="validationFraction">Fraction of time steps for validation targets.</param>
    /// <param name="testFraction">Fraction of time steps for test targets.</param>
    /// <param name="standardize">Subtract the training mean and divide by the training standard deviation.</param>
    /// <returns>The splits and the statistics used.</returns>
    public static ForecastingData FromSeries(IReadOnlyList<float> series, int window, int horizon = 1, double validationFraction = 0.15, double testFraction = 0.15, bool standardize = true)
    {
        if (window < 1 || horizon < 1) throw new ArgumentOutOfRangeException(nameof(window), "window and horizon must be at least 1");
        var n = series.Count;
        var trainEnd = (int)Math.Round(n * (1 - validationFraction - testFraction));
        var valEnd = (int)Math.Round(n * (1 - testFraction));
        if (trainEnd < window + horizon)
            throw new ArgumentException($"the training part ({trainEnd} steps) is shorter than one window plus horizon ({window + horizon})", nameof(window));
        var train = series.Take(trainEnd).ToArray();
        var mean = standardize ? train.Average() : 0f;
        var std = standardize ? (float)Math.Sqrt(train.Select(v => (v - mean) * (v - mean)).Average()) : 1f;
        if (std == 0) std = 1;
        var z = series.Select(v => (v - mean) / std).ToArray();
        return new ForecastingData(
            Windows(z, window, horizon, window, trainEnd),
            Windows(z, window, horizon, trainEnd, valEnd),
            Windows(z, window, horizon, valEnd, n),
            mean, std);
    }

    /// <summary>Windows whose first target index t lies in [from, to) and whose targets end before <paramref name="to"/>.</summary>
    private static LabeledSplit Windows(float[] z, int window, int horizon, int from, int to)
    {
        var starts = new List<int>();
        for (var t = Math.Max(from, window); t + horizon <= to; t++) starts.Add(t);
        var x = new float[starts.Count * window];
        var y = new float[starts.Count * horizon];
        for (var k = 0; k < starts.Count; k++)
        {
            Array.Copy(z, starts[k] - window, x, k * window, window);
            Array.Copy(z, starts[k], y, k * horizon, horizon);
        }
        return new LabeledSplit(
            torch.tensor(x, [starts.Count, window, 1]).DetachFromDisposeScope(),
            torch.tensor(y, [starts.Count, horizon]).DetachFromDisposeScope(),
            "series", starts);
    }

    /// <summary>Maps standardised values back to the original units.</summary>
    /// <param name="standardized">Values in standard units.</param>
    /// <returns>Values in the series' units.</returns>
    public torch.Tensor Unstandardize(torch.Tensor standardized) => standardized * Std + Mean;

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
