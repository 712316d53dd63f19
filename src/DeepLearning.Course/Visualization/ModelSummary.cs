using System.Globalization;
using System.Text;
using DeepLearning.Course.Formatting;
using static TorchSharp.torch;

namespace DeepLearning.Course.Visualization;

/// <summary>
/// A layer table for a model: each leaf module's output shape (recorded by forward hooks during
/// one forward pass on a sample input) and parameter count, with totals.
/// </summary>
/// <remarks>Introduced in chapter 02 (MLP); every later chapter summarizes its model with it.</remarks>
public sealed class ModelSummary
{
    private ModelSummary(string modelName, IReadOnlyList<LayerInfo> layers, long[] inputShape, long[] outputShape, long total, long trainable)
    {
        ModelName = modelName;
        Layers = layers;
        InputShape = inputShape;
        OutputShape = outputShape;
        TotalParameters = total;
        TrainableParameters = trainable;
    }

    /// <summary>The model's type name.</summary>
    public string ModelName { get; }

    /// <summary>Layers in the order they ran (modules that did not run come last, with an empty shape).</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>Shape of the sample input.</summary>
    public long[] InputShape { get; }

    /// <summary>Shape of the model's output.</summary>
    public long[] OutputShape { get; }

    /// <summary>All parameters (equals <c>model.parameters().Sum(p =&gt; p.numel())</c>).</summary>
    public long TotalParameters { get; }

    /// <summary>Parameters with <c>requires_grad</c>.</summary>
    public long TrainableParameters { get; }

    /// <summary>Summarizes <paramref name="model"/> with a zero input of <paramref name="inputShape"/> (float32).</summary>
    /// <param name="model">The model.</param>
    /// <param name="inputShape">Input shape including the batch dimension, e.g. <c>1, 1, 28, 28</c>.</param>
    /// <returns>The summary.</returns>
    public static ModelSummary Of(nn.Module<Tensor, Tensor> model, params long[] inputShape)
    {
        using var scope = NewDisposeScope();
        var device = model.parameters().FirstOrDefault()?.device ?? CPU;
        return Of(model, zeros(inputShape, device: device));
    }

    /// <summary>Summarizes <paramref name="model"/> with a sample input (use this for integer token inputs).</summary>
    /// <param name="model">The model.</param>
    /// <param name="sample">A sample input batch.</param>
    /// <returns>The summary.</returns>
    public static ModelSummary Of(nn.Module<Tensor, Tensor> model, Tensor sample)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sample);
        using var scope = NewDisposeScope();
        var modules = model.named_modules().Where(m => m.name.Length > 0).ToList();
        var shapes = new Dictionary<nn.Module, long[]>(ReferenceEqualityComparer.Instance);
        var order = new List<nn.Module>();
        var removers = new List<Action>();
        foreach (var (_, module) in modules)
        {
            if (module.children().Any() || module is not nn.Module<Tensor, Tensor> hookable) continue;
            var remover = hookable.register_forward_hook((m, _, output) =>
            {
                if (!shapes.ContainsKey(m)) order.Add(m);
                shapes[m] = output.shape;
                return output;
            });
            removers.Add(remover.remove);
        }
        long[] outputShape;
        var wasTraining = model.training;
        try
        {
            model.eval();
            using (no_grad()) outputShape = model.call(sample).shape;
        }
        finally
        {
            foreach (var remove in removers) remove();
            if (wasTraining) model.train();
        }
        var rows = new List<LayerInfo>();
        var byModule = new Dictionary<nn.Module, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, module) in modules) byModule[module] = name;
        foreach (var m in order) rows.Add(Row(byModule[m], m, shapes[m]));
        foreach (var (name, module) in modules)
        {
            if (shapes.ContainsKey(module)) continue;
            var own = Own(module);
            var isLeaf = !module.children().Any();
            if (isLeaf || own > 0) rows.Add(Row(isLeaf ? name : name + " (own)", module, []));
        }
        var rootOwn = Own(model);
        if (rootOwn > 0) rows.Add(new LayerInfo("(model's own)", model.GetType().Name, [], rootOwn));
        var total = model.parameters().Sum(p => p.numel());
        var trainable = model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        return new ModelSummary(model.GetType().Name, rows, sample.shape, outputShape, total, trainable);
    }

    private static long Own(nn.Module module) => module.parameters(recurse: false).Sum(p => p.numel());

    private static LayerInfo Row(string name, nn.Module module, long[] shape) => new(name, module.GetType().Name, shape, Own(module));

    private static string Shape(long[] shape) => shape.Length == 0 ? "—" : $"[{string.Join(", ", shape)}]";

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A plain-text table.</summary>
    /// <returns>Multi-line text.</returns>
    public override string ToString()
    {
        var rows = Layers.Select(l => new[] { l.Name, l.Type, Shape(l.OutputShape), Count(l.Parameters) }).ToList();
        rows.Insert(0, ["layer", "type", "output shape", "params"]);
        var widths = Enumerable.Range(0, 4).Select(j => rows.Max(r => r[j].Length)).ToArray();
        var text = new StringBuilder($"{ModelName}: input {Shape(InputShape)} -> output {Shape(OutputShape)}");
        foreach (var r in rows) text.Append('\n').Append(string.Join("  ", r.Select((c, j) => j == 3 ? c.PadLeft(widths[j]) : c.PadRight(widths[j]))));
        text.Append($"\ntotal parameters {Count(TotalParameters)} (trainable {Count(TrainableParameters)})");
        return text.ToString();
    }

    /// <summary>An HTML table.</summary>
    /// <returns>An HTML fragment.</returns>
    public string ToHtml()
    {
        var html = new StringBuilder("<div class=\"dlc-model-summary\"><div style=\"font-family:monospace;font-weight:bold\">");
        html.Append(PlotlyHtml.Encode($"{ModelName}: input {Shape(InputShape)} → output {Shape(OutputShape)}"));
        html.Append("</div><table style=\"font-family:monospace;border-collapse:collapse\"><tr><th>layer</th><th>type</th><th>output shape</th><th>params</th></tr>");
        foreach (var l in Layers)
            html.Append("<tr><td style=\"padding:1px 6px\">").Append(PlotlyHtml.Encode(l.Name)).Append("</td><td style=\"padding:1px 6px\">")
                .Append(PlotlyHtml.Encode(l.Type)).Append("</td><td style=\"padding:1px 6px\">").Append(Shape(l.OutputShape))
                .Append("</td><td style=\"padding:1px 6px;text-align:right\">").Append(Count(l.Parameters)).Append("</td></tr>");
        html.Append($"<tr><td colspan=\"3\"><b>total</b> (trainable {Count(TrainableParameters)})</td><td style=\"text-align:right\"><b>{Count(TotalParameters)}</b></td></tr></table></div>");
        return html.ToString();
    }
}
