using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Hosting;

namespace NotebookEngine.Execution;

/// <summary>What changed in a cell's outputs (for live frontends such as a Jupyter kernel).</summary>
/// <param name="Kind"><c>added</c>, <c>appended</c> (stream text grew) or <c>updated</c> (display replaced).</param>
/// <param name="Index">Index of the output in the cell's output list.</param>
/// <param name="Output">
/// The output as it is now (nbformat JSON); for a stream output (<c>added</c> or <c>appended</c>), only the text this
/// write added, so a frontend publishes it as it comes (the whole stream, capped, is in <see cref="CellOutputs.Snapshot"/>).
/// </param>
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
    private StreamText? _openStream;

    /// <summary>Creates the outputs of a cell about to run; formatters the engine provides are in place from here on.</summary>
    public CellOutputs() => DataFrameFormatter.Install();

    /// <summary>Raised after each change, under no lock held by the caller.</summary>
    public event Action<OutputEvent>? Changed;

    /// <summary>A snapshot of the outputs so far (stream text capped as <see cref="StreamText"/> says).</summary>
    public List<JsonObject> Snapshot()
    {
        lock (_gate)
        {
            if (_openStream is not null)
                _outputs[^1]["text"] = _openStream.ToString();
            return [.. _outputs.Select(o => (JsonObject)o.DeepClone())];
        }
    }

    /// <summary>
    /// Appends console text; consecutive writes to the same stream merge into one output, as Jupyter does. Linear in
    /// the text written: the stream's text is kept in a buffer and turned into JSON only when another output follows
    /// or a snapshot is taken.
    /// </summary>
    public void WriteStream(string name, string text)
    {
        if (text.Length == 0)
            return;
        OutputEvent e;
        lock (_gate)
        {
            if (_openStream is not null && _outputs[^1]["name"]?.GetValue<string>() == name)
            {
                _openStream.Append(text);
                e = new OutputEvent("appended", _outputs.Count - 1, StreamOutput(name, text));
            }
            else
            {
                CloseStream();
                _outputs.Add(StreamOutput(name, ""));
                _openStream = new StreamText();
                _openStream.Append(text);
                e = new OutputEvent("added", _outputs.Count - 1, StreamOutput(name, text));
            }
        }
        Changed?.Invoke(e);
    }

    private static JsonObject StreamOutput(string name, string text) => new() { ["output_type"] = "stream", ["name"] = name, ["text"] = text };

    /// <summary>Turns the open stream's buffer into its output's text (under the lock), once another output follows it.</summary>
    private void CloseStream()
    {
        if (_openStream is null)
            return;
        _outputs[^1]["text"] = _openStream.ToString();
        _openStream = null;
    }

    /// <summary>Adds any nbformat output.</summary>
    public void Add(JsonObject output)
    {
        int index;
        lock (_gate)
        {
            CloseStream();
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
            CloseStream();
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
