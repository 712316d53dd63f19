using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Hosting;

namespace NotebookEngine.Execution;

/// <summary>What changed in a cell's outputs (for live frontends such as a Jupyter kernel).</summary>
/// <param name="Kind"><c>added</c>, <c>appended</c> (stream text grew) or <c>updated</c> (display replaced).</param>
/// <param name="Index">Index of the output in the cell's output list.</param>
/// <param name="Output">The output as it is now (nbformat JSON).</param>
public sealed record OutputEvent(string Kind, int Index, JsonObject Output);

/// <summary>
/// The outputs of one running cell, in the order they happened. Thread-safe: console writes,
/// displays and updates may come from any thread the cell started.
/// </summary>
public sealed class CellOutputs : IDisplaySink
{
    private readonly List<JsonObject> _outputs = [];
    private readonly Dictionary<string, int> _displayIndex = [];
    private readonly Lock _gate = new();

    /// <summary>Creates the outputs of a cell about to run; formatters the engine provides are in place from here on.</summary>
    public CellOutputs() => DataFrameFormatter.Install();

    /// <summary>Raised after each change, under no lock held by the caller.</summary>
    public event Action<OutputEvent>? Changed;

    /// <summary>A snapshot of the outputs so far.</summary>
    public List<JsonObject> Snapshot()
    {
        lock (_gate)
            return [.. _outputs.Select(o => (JsonObject)o.DeepClone())];
    }

    /// <summary>Appends console text; consecutive writes to the same stream merge into one output, as Jupyter does.</summary>
    public void WriteStream(string name, string text)
    {
        if (text.Length == 0)
            return;
        OutputEvent e;
        lock (_gate)
        {
            if (_outputs.Count > 0 && _outputs[^1]["output_type"]?.GetValue<string>() == "stream" && _outputs[^1]["name"]?.GetValue<string>() == name)
            {
                var last = _outputs[^1];
                last["text"] = last["text"]!.GetValue<string>() + text;
                e = new OutputEvent("appended", _outputs.Count - 1, last);
            }
            else
            {
                var output = new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text };
                _outputs.Add(output);
                e = new OutputEvent("added", _outputs.Count - 1, output);
            }
        }
        Changed?.Invoke(e);
    }

    /// <summary>Adds any nbformat output.</summary>
    public void Add(JsonObject output)
    {
        int index;
        lock (_gate)
        {
            _outputs.Add(output);
            index = _outputs.Count - 1;
        }
        Changed?.Invoke(new OutputEvent("added", index, output));
    }

    /// <inheritdoc />
    public void Publish(DisplayedValue displayed, object? value, IReadOnlyList<string> mimeTypes)
    {
        var output = new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = MimeBundle.Format(value, mimeTypes),
            ["metadata"] = new JsonObject(),
            ["transient"] = new JsonObject { ["display_id"] = displayed.DisplayId },
        };
        int index;
        lock (_gate)
        {
            _outputs.Add(output);
            index = _outputs.Count - 1;
            _displayIndex[displayed.DisplayId] = index;
        }
        Changed?.Invoke(new OutputEvent("added", index, output));
    }

    /// <inheritdoc />
    public void Update(DisplayedValue displayed, object? value)
    {
        var data = MimeBundle.Format(value, displayed.MimeTypes);
        OutputEvent? e = null;
        lock (_gate)
        {
            if (_displayIndex.TryGetValue(displayed.DisplayId, out var index))
            {
                _outputs[index]["data"] = data;
                e = new OutputEvent("updated", index, _outputs[index]);
            }
        }
        if (e is not null)
            Changed?.Invoke(e);
    }

    /// <summary>Serializes outputs for nbformat: the <c>transient</c> key is dropped (it is not part of the file format).</summary>
    public static JsonObject ForFile(JsonObject output)
    {
        var copy = (JsonObject)output.DeepClone();
        copy.Remove("transient");
        return copy;
    }

    internal static string Describe(JsonObject output) => output.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
