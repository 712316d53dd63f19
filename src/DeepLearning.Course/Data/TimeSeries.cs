using System.Globalization;
using Microsoft.Data.Analysis;
using TorchSharp;

namespace DeepLearning.Course.Data;

/// <summary>A regularly sampled series with its dates, where missing observations were filled in.</summary>
/// <param name="Dates">Observation dates.</param>
/// <param name="Values">Values, with missing ones linearly interpolated between their neighbours.</param>
/// <param name="Missing">Which values were missing in the source (and so are interpolated).</param>
/// <remarks>Introduced in chapter 04 (RNN forecasting of CO2).</remarks>
public sealed record TimeSeriesData(IReadOnlyList<DateOnly> Dates, float[] Values, bool[] Missing)
{
    /// <summary>Number of observations.</summary>
    public int Count => Values.Length;

    /// <summary>The series as a table: <c>date</c> (DateTime), <c>value</c> (nulls where missing in the source) and <c>filled</c> (interpolated values).</summary>
    /// <returns>The table.</returns>
    public DataFrame ToDataFrame() => new(
        new PrimitiveDataFrameColumn<DateTime>("date", Dates.Select(d => d.ToDateTime(TimeOnly.MinValue))),
        new SingleDataFrameColumn("value", Values.Select((v, i) => Missing[i] ? (float?)null : v)),
        new SingleDataFrameColumn("filled", Values));

    /// <summary>
    /// Fills missing values (NaN) by linear interpolation between the nearest observed neighbours; leading or
    /// trailing gaps take the nearest observed value.
    /// </summary>
    /// <param name="values">Values with NaN for missing.</param>
    /// <returns>A filled copy.</returns>
    public static float[] Interpolate(IReadOnlyList<float> values)
    {
        var result = values.ToArray();
        var known = Enumerable.Range(0, result.Length).Where(i => !float.IsNaN(result[i])).ToArray();
        if (known.Length == 0) throw new ArgumentException("the series has no observed values", nameof(values));
        for (var i = 0; i < result.Length; i++)
        {
            if (!float.IsNaN(result[i])) continue;
            var k = Array.BinarySearch(known, i);
            var next = ~k;
            if (next == 0) result[i] = result[known[0]];
            else if (next >= known.Length) result[i] = result[known[^1]];
            else
            {
                int a = known[next - 1], b = known[next];
                result[i] = result[a] + (result[b] - result[a]) * (i - a) / (float)(b - a);
            }
        }
        return result;
    }
}

/// <summary>Weekly CO2 concentration at Mauna Loa, March 1958 - December 2001 (2,284 weeks, 59 missing).</summary>
/// <remarks>Introduced in chapter 04 (RNN forecasting).</remarks>
public static class Co2
{
    /// <summary>Loads the weekly series (ppmv), interpolating the missing weeks.</summary>
    /// <param name="path">Folder holding <c>co2.csv</c> (optional).</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The series.</returns>
    public static TimeSeriesData Load(string? path = null, DatasetLocator? locator = null)
    {
        var file = (locator ?? new DatasetLocator()).Locate(DatasetCatalog.Co2, path).PathOf("co2.csv");
        var dates = new List<DateOnly>();
        var values = new List<float>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNo++;
            if (lineNo == 1 || line.Length == 0) continue;
            var f = line.Split(',');
            if (f.Length != 2 || !DateOnly.TryParseExact(f[0], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                throw new DataFormatException($"co2.csv line {lineNo}: expected 'YYYYMMDD,value', found '{line}'.");
            dates.Add(date);
            values.Add(f[1].Length == 0 ? float.NaN : float.Parse(f[1], CultureInfo.InvariantCulture));
        }
        var missing = values.Select(float.IsNaN).ToArray();
        return new TimeSeriesData(dates, TimeSeriesData.Interpolate(values), missing);
    }
}

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
