using DeepLearning.Course.Data;
using TorchSharp;

namespace DeepLearning.Course.Tests.Data;

public class TimeSeriesTests
{
    [Fact]
    public void CO2_loads_2284_weeks_with_the_59_missing_weeks_interpolated()
    {
        // Given the committed co2.csv (or python3-statsmodels')
        TestData.RequireInstalled(DatasetCatalog.Co2, "the repository's datasets/co2 or the apt package python3-statsmodels");

        // When loaded
        var co2 = Co2.Load();

        // Then dates, values and the missing mask line up, and no value is NaN
        Assert.Equal(2_284, co2.Count);
        Assert.Equal(new DateOnly(1958, 3, 29), co2.Dates[0]);
        Assert.Equal(316.1f, co2.Values[0], 3);
        Assert.Equal(59, co2.Missing.Count(m => m));
        Assert.DoesNotContain(co2.Values, float.IsNaN);
        Assert.InRange(co2.Values.Min(), 310f, 320f);
        Assert.InRange(co2.Values.Max(), 370f, 376f);
        // and the table keeps the gaps as nulls beside the filled values
        var table = co2.ToDataFrame();
        Assert.Equal(59, table["value"].NullCount);
        Assert.Equal(0, table["filled"].NullCount);
    }

    [Fact]
    public void Interpolation_fills_gaps_linearly_and_edges_with_the_nearest_value()
    {
        var filled = TimeSeriesData.Interpolate([float.NaN, 1f, float.NaN, float.NaN, 4f, float.NaN]);
        Assert.Equal([1f, 1f, 2f, 3f, 4f, 4f], filled);
    }

    [Fact]
    public void Forecasting_windows_are_chronological_with_disjoint_targets_and_training_statistics()
    {
        // Given the series 0..99
        var series = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();

        // When cut into windows of 5 predicting 2 steps, 70/15/15
        using var data = ForecastingData.FromSeries(series, window: 5, horizon: 2);

        // Then shapes are [N, 5, 1] and [N, 2], targets follow inputs, and split targets never overlap
        Assert.Equal([5L, 1L], data.Train.Features.shape.Skip(1));
        Assert.Equal([2L], data.Train.Labels.shape.Skip(1));
        var x0 = data.Unstandardize(data.Train.Features[0].reshape(-1)).data<float>().ToArray();
        var y0 = data.Unstandardize(data.Train.Labels[0]).data<float>().ToArray();
        Assert.Equal([0f, 1f, 2f, 3f, 4f], x0.Select(v => MathF.Round(v, 3)));
        Assert.Equal([5f, 6f], y0.Select(v => MathF.Round(v, 3)));
        int Last(LabeledSplit s) => s.SourceIndices[^1] + 1; // last target index covered
        Assert.True(Last(data.Train) < data.Validation.SourceIndices[0]);
        Assert.True(Last(data.Validation) < data.Test.SourceIndices[0]);
        Assert.Equal(99, Last(data.Test));
        // and standardisation used the training part only (0..69: mean 34.5)
        Assert.Equal(34.5f, data.Mean, 3);
        Assert.True(data.Train.Features.mean().item<float>() < 0.1f);
    }
}
