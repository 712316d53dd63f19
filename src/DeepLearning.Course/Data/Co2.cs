using System.Globalization;
using Microsoft.Data.Analysis;

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
