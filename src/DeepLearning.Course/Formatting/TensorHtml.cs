using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace DeepLearning.Course.Formatting;

/// <summary>
/// Compact views of a tensor for notebooks: a header with shape, dtype and device, then the
/// values (the trailing two dimensions as a table, leading dimensions sliced at 0), truncated
/// with ellipses when large.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics), where tensors are first displayed.</remarks>
public static class TensorHtml
{
    /// <summary>Rows and columns shown before eliding the middle.</summary>
    public const int MaxItems = 10;

    /// <summary>The header line: <c>Tensor [2, 3] float32 cpu</c>.</summary>
    /// <param name="tensor">Any tensor.</param>
    /// <returns>One line.</returns>
    public static string Header(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var grad = tensor.requires_grad ? " requires_grad" : "";
        return $"Tensor [{string.Join(", ", tensor.shape)}] {DTypeName(tensor.dtype)} {tensor.device}{grad}";
    }

    /// <summary>An HTML table of the tensor's values under its header.</summary>
    /// <param name="tensor">Any tensor.</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(Tensor tensor)
    {
        var view = Slice(tensor);
        var html = new StringBuilder();
        html.Append("<div class=\"dlc-tensor\"><div style=\"font-family:monospace;font-weight:bold\">")
            .Append(PlotlyHtml.Encode(Header(tensor))).Append("</div>");
        if (view.Note is not null)
            html.Append("<div style=\"font-family:monospace;color:#666\">").Append(PlotlyHtml.Encode(view.Note)).Append("</div>");
        html.Append("<table style=\"font-family:monospace;border-collapse:collapse\">");
        foreach (var row in view.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append("<td style=\"padding:1px 6px;text-align:right\">").Append(PlotlyHtml.Encode(cell)).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</table></div>");
        return html.ToString();
    }

    /// <summary>A plain-text view: header then aligned rows.</summary>
    /// <param name="tensor">Any tensor.</param>
    /// <returns>Multi-line text.</returns>
    public static string ToPlainText(Tensor tensor)
    {
        var view = Slice(tensor);
        var text = new StringBuilder(Header(tensor));
        if (view.Note is not null) text.Append('\n').Append(view.Note);
        var widths = new int[view.Rows.Count == 0 ? 0 : view.Rows.Max(r => r.Count)];
        foreach (var row in view.Rows)
            for (var j = 0; j < row.Count; j++) widths[j] = Math.Max(widths[j], row[j].Length);
        foreach (var row in view.Rows)
            text.Append('\n').Append(string.Join(" ", row.Select((c, j) => c.PadLeft(widths[j]))));
        return text.ToString();
    }

    private sealed record View(List<List<string>> Rows, string? Note);

    private static View Slice(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = NewDisposeScope();
        var t = tensor.detach();
        string? note = null;
        if (t.dim() > 2)
        {
            var lead = (int)t.dim() - 2;
            note = $"showing [{string.Join(", ", Enumerable.Repeat("0", lead))}, :, :] of {lead} leading dimension{(lead == 1 ? "" : "s")}";
            while (t.dim() > 2) t = t[0];
        }
        if (t.dim() == 0) t = t.reshape(1, 1);
        else if (t.dim() == 1) t = t.unsqueeze(0);
        var rows = (int)t.shape[0];
        var cols = (int)t.shape[1];
        var rowIdx = Pick(rows);
        var colIdx = Pick(cols);
        var cpu = t.cpu();
        if (cpu.dtype == ScalarType.ComplexFloat32 || cpu.dtype == ScalarType.ComplexFloat64) cpu = cpu.abs();
        var isBool = cpu.dtype == ScalarType.Bool;
        var isInt = !isBool && !cpu.is_floating_point();
        var values = cpu.to_type(ScalarType.Float64);
        var result = new List<List<string>>();
        foreach (var i in rowIdx)
        {
            var row = new List<string>();
            foreach (var j in colIdx)
            {
                if (i < 0 || j < 0) { row.Add(i < 0 && j < 0 ? "⋱" : i < 0 ? "⋮" : "…"); continue; }
                var v = values[i, j].item<double>();
                row.Add(isBool ? (v != 0 ? "true" : "false")
                    : isInt ? v.ToString("0", CultureInfo.InvariantCulture)
                    : v.ToString("G5", CultureInfo.InvariantCulture));
            }
            result.Add(row);
        }
        return new View(result, note);
    }

    /// <summary>Indices to show along one axis; -1 marks the elided middle.</summary>
    private static List<int> Pick(int n)
    {
        if (n <= MaxItems) return Enumerable.Range(0, n).ToList();
        var half = MaxItems / 2;
        var idx = Enumerable.Range(0, half).ToList();
        idx.Add(-1);
        idx.AddRange(Enumerable.Range(n - half, half));
        return idx;
    }

    /// <summary>PyTorch's name for a dtype (<c>float32</c>, <c>int64</c>, ...).</summary>
    /// <param name="type">A TorchSharp scalar type.</param>
    /// <returns>The lower-case PyTorch name.</returns>
    public static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Int16 => "int16",
        ScalarType.Int8 => "int8",
        ScalarType.Byte => "uint8",
        ScalarType.Bool => "bool",
        ScalarType.ComplexFloat32 => "complex64",
        ScalarType.ComplexFloat64 => "complex128",
        _ => type.ToString().ToLowerInvariant(),
    };
}
