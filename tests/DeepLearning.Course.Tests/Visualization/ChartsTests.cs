using DeepLearning.Course.Formatting;
using DeepLearning.Course.Visualization;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Visualization;

public class ChartsTests
{
    [Fact]
    public void Confusion_matrix_counts_actual_rows_and_predicted_columns_with_class_names()
    {
        using var predicted = tensor(new long[] { 0, 1, 1, 2, 2, 2 });
        using var actual = tensor(new long[] { 0, 1, 2, 2, 2, 0 });
        var counts = Charts.ConfusionCounts(predicted, actual, 3);
        Assert.Equal([1L, 0, 1], counts[0]);
        Assert.Equal([0L, 1, 0], counts[1]);
        Assert.Equal([0L, 1, 2], counts[2]);
        var json = PlotlyHtml.ToJson(Charts.ConfusionMatrix(predicted, actual, ["cat", "dog", "eel"]));
        Assert.Contains("\"type\":\"heatmap\"", json);
        Assert.Contains("\"x\":[\"cat\",\"dog\",\"eel\"]", json);
        Assert.Contains("\"z\":[[1.0,0.0,1.0],[0.0,1.0,0.0],[0.0,1.0,2.0]]", json);
    }

    [Fact]
    public void Embedding_scatter_projects_to_two_dimensions_with_labels()
    {
        manual_seed(21);
        using var embeddings = randn(5, 8);
        var json = PlotlyHtml.ToJson(Charts.EmbeddingScatter(embeddings, ["a", "b", "c", "d", "e"]));
        Assert.Contains("\"text\":[\"a\",\"b\",\"c\",\"d\",\"e\"]", json);
        Assert.Contains("PC 1", json);
    }

    [Fact]
    public void Attention_histogram_bar_and_lines_build_the_expected_traces()
    {
        using var weights = softmax(randn(2, 4, 4), -1);
        Assert.Contains("\"y\":[\"q1\",\"q2\",\"q3\",\"q4\"]", PlotlyHtml.ToJson(Charts.Attention(weights, ["q1", "q2", "q3", "q4"], ["k1", "k2", "k3", "k4"])));
        using var values = randn(100);
        Assert.Contains("\"type\":\"histogram\"", PlotlyHtml.ToJson(Charts.Histogram(values)));
        Assert.Contains("\"type\":\"bar\"", PlotlyHtml.ToJson(Charts.Bar(["a", "b"], [1, 2])));
        var lines = Charts.Lines([new Series("train", [1, 2], [1, 0.5]), new Series("valid", [1, 2], [1.2, double.NaN])], logY: true);
        var json = PlotlyHtml.ToJson(lines);
        Assert.Contains("\"name\":\"valid\"", json);
        Assert.Contains("\"y\":[1.2,null]", json);
        Assert.Contains("\"type\":\"log\"", json);
    }

    [Fact]
    public void Curves_without_an_x_axis_run_over_the_index_or_the_epochs()
    {
        // Given values without x values: a loss per step, a measurement per epoch, a tensor
        using var tensorValues = tensor(new float[] { 4, 2, 1 });

        // When they are drawn
        var steps = PlotlyHtml.ToJson(Charts.Lines([new Series("loss", [0.9, 0.5, 0.25])]));
        var epochs = PlotlyHtml.ToJson(Charts.Lines([new Series("modes", [3, 5], firstX: 1)]));
        var line = PlotlyHtml.ToJson(Charts.Line([7.0, 8.0], name: "y only"));
        var fromTensor = PlotlyHtml.ToJson(Charts.Line(tensorValues, "tensor"));

        // Then values run over 0 .. n-1, or from the first x given (1 for epochs)
        Assert.Contains("\"x\":[0.0,1.0,2.0],\"y\":[0.9,0.5,0.25]", steps);
        Assert.Contains("\"x\":[1.0,2.0],\"y\":[3.0,5.0]", epochs);
        Assert.Contains("\"x\":[0.0,1.0],\"y\":[7.0,8.0]", line);
        Assert.Contains("\"x\":[0.0,1.0,2.0],\"y\":[4.0,2.0,1.0]", fromTensor);
    }
}
