using DeepLearning.Course.Visualization;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Visualization;

/// <summary>
/// One call of every <see cref="Charts"/> method, with awkward values (NaN, 1e-7, -0, non-ASCII and
/// script-closing labels). Their figure JSON was recorded with Plotly.NET 6.0.0, the library's chart
/// backend before issue 15, in <c>tests/fixtures/plotly-net-figures/NAME.json</c>; the course's own figure type must
/// write the same JSON, so charts look the same in every host.
/// </summary>
internal static class ChartCases
{
    public static IReadOnlyList<(string Name, Func<object> Build)> All() =>
    [
        ("line", () => Charts.Line([1.0, 2, 3], [0.9, 0.5, 0.25], "train_loss", "Loss", "epoch", "loss")),
        ("line-defaults", () => Charts.Line([0.0, -0.0, 1e-7], [1.5e20, 2, -3.25])),
        ("line-tensor", () => { using var t = tensor(new float[] { 0.5f, 0.25f, 0.125f }); return Charts.Line(t, "half", "Halving"); }),
        ("lines-log-nan", () => Charts.Lines([new Series("train", [1, 2], [1, 0.5]), new Series("valid", [1, 2], [1.2, double.NaN])],
            "Loss é → \"quoted\" </script>", "epoch", "loss", logY: true)),
        ("scatter-groups-labels", () => Charts.Scatter([1.0, 2, 3], [1e-7, 2, 3], ["p", "q", "r"], ["g1", "g2", "g1"], "S", "x", "y", showLabels: true)),
        ("scatter-plain", () => Charts.Scatter([1.0, 2], [3.0, 4], labels: ["a", "b"], title: "Hover labels")),
        ("heatmap-labels-values", () => Charts.Heatmap([[1.0, 2], [3, 4]], ["a", "b"], ["c", "d"], "H", "x", "y", showValues: true)),
        ("heatmap-tensor", () => { using var t = eye(2); return Charts.Heatmap(t, "Identity"); }),
        ("confusion-matrix", () =>
        {
            using var predicted = tensor(new long[] { 0, 1, 1, 2, 2, 2 });
            using var actual = tensor(new long[] { 0, 1, 2, 2, 2, 0 });
            return Charts.ConfusionMatrix(predicted, actual, ["cat", "dog", "eel"]);
        }),
        ("attention", () =>
        {
            using var w = tensor(new float[] { 0.75f, 0.25f, 0.5f, 0.5f }).reshape(1, 2, 2);
            return Charts.Attention(w, ["q1", "q2"], ["k1", "k2"]);
        }),
        ("histogram", () => Charts.Histogram([1.0, 2, 2, 3], 10, null, "v")),
        ("histogram-tensor", () => { using var t = tensor(new float[] { 1, 2, 2, 3 }); return Charts.Histogram(t, 4, "Weights"); }),
        ("bar", () => Charts.Bar(["a", "b"], [1, 2.5], "B", "height")),
        ("embedding-scatter", () =>
        {
            using var e = tensor(new float[] { 1, 0, 0, 1, -1, 0 }).reshape(3, 2);
            return Charts.EmbeddingScatter(e, ["x", "y", "z"], ["g", "g", "h"]);
        }),
    ];
}
