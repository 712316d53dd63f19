using DeepLearning.Course.Visualization;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Visualization;

public class ModelSummaryTests
{
    [Fact]
    public void Summary_lists_layers_with_output_shapes_and_parameter_counts_that_add_up()
    {
        // Given a small CNN
        var model = nn.Sequential(
            ("conv", nn.Conv2d(1, 6, 5, padding: 2)), ("act", nn.ReLU()), ("pool", nn.MaxPool2d(2)),
            ("flat", nn.Flatten()), ("fc", nn.Linear(6 * 14 * 14, 10)));
        // When it is summarized for a 28x28 input
        var summary = ModelSummary.Of(model, 1, 1, 28, 28);
        // Then each layer shows its output shape in execution order ...
        Assert.Equal(["conv", "act", "pool", "flat", "fc"], summary.Layers.Select(l => l.Name));
        Assert.Equal([1L, 6, 28, 28], summary.Layers[0].OutputShape);
        Assert.Equal([1L, 1176], summary.Layers[3].OutputShape);
        Assert.Equal([1L, 10], summary.OutputShape);
        // ... and the parameter counts add up to the model's
        var expected = model.parameters().Sum(p => p.numel());
        Assert.Equal(expected, summary.TotalParameters);
        Assert.Equal(expected, summary.Layers.Sum(l => l.Parameters));
        Assert.Equal(6 * 25 + 6, summary.Layers[0].Parameters);
        Assert.Contains("[1, 6, 28, 28]", summary.ToString());
        Assert.Contains("<td style=\"padding:1px 6px\">Conv2d</td>", summary.ToHtml());
    }

    [Fact]
    public void Parameters_owned_by_container_modules_are_counted()
    {
        var model = new WithOwnParameter();
        var summary = ModelSummary.Of(model, 2, 3);
        Assert.Equal(model.parameters().Sum(p => p.numel()), summary.TotalParameters);
        Assert.Equal(summary.TotalParameters, summary.Layers.Sum(l => l.Parameters));
    }

    private sealed class WithOwnParameter : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear _fc = nn.Linear(3, 4);
        private readonly TorchSharp.Modules.Parameter _scale = nn.Parameter(ones(4));

        public WithOwnParameter() : base(nameof(WithOwnParameter)) => RegisterComponents();

        public override Tensor forward(Tensor x) => _fc.call(x) * _scale;
    }
}
