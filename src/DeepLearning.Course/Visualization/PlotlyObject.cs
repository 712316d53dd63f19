using System.Collections;
using DeepLearning.Course.Formatting;

namespace DeepLearning.Course.Visualization;

/// <summary>
/// One plotly.js object of a <see cref="Figure"/> — a trace, the layout or the config — as ordered
/// plotly.js attributes (<c>type</c>, <c>x</c>, <c>mode</c>, <c>xaxis</c>, ...), named exactly as in the
/// plotly.js reference (https://plotly.com/javascript/reference/). Values are strings, numbers,
/// booleans, null, arrays or sequences of these (nested for heatmaps), string-keyed dictionaries and
/// other plotly objects.
/// </summary>
/// <remarks>
/// Introduced in chapter 01 (basics): every <see cref="Charts"/> method builds its traces from these.
/// To change a chart a chapter drew, set an attribute: <c>chart.Layout.SetProperty("height", 300)</c>.
/// </remarks>
public sealed class PlotlyObject : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _attributes = [];

    /// <summary>Creates an empty object.</summary>
    public PlotlyObject()
    {
    }

    /// <summary>Creates an object with the given attributes, in order.</summary>
    /// <param name="attributes">Attribute names and values.</param>
    public PlotlyObject(IEnumerable<KeyValuePair<string, object?>> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var (name, value) in attributes) SetProperty(name, value);
    }

    /// <summary>Attribute names, in the order they were first set (the order they are written in).</summary>
    public IReadOnlyList<string> Names => _attributes.Select(a => a.Key).ToList();

    /// <summary>The value of attribute <paramref name="name"/>.</summary>
    /// <param name="name">A plotly.js attribute name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The attribute is not set.</exception>
    public object? this[string name] => TryGetProperty(name, out var value) ? value : throw new KeyNotFoundException($"attribute '{name}' is not set; set: {string.Join(", ", Names)}");

    /// <summary>
    /// Sets attribute <paramref name="name"/> to <paramref name="value"/>: an attribute already set keeps
    /// its place and takes the new value, a new one is added last.
    /// </summary>
    /// <param name="name">A plotly.js attribute name, e.g. <c>mode</c>.</param>
    /// <param name="value">Its value.</param>
    /// <returns>This object, for chaining.</returns>
    public PlotlyObject SetProperty(string name, object? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var at = _attributes.FindIndex(a => a.Key == name);
        if (at >= 0) _attributes[at] = new(name, value);
        else _attributes.Add(new(name, value));
        return this;
    }

    /// <summary>Reads attribute <paramref name="name"/> when it is set.</summary>
    /// <param name="name">A plotly.js attribute name.</param>
    /// <param name="value">Its value, or null when it is not set.</param>
    /// <returns>True when the attribute is set.</returns>
    public bool TryGetProperty(string name, out object? value)
    {
        foreach (var (key, v) in _attributes)
        {
            if (key != name) continue;
            value = v;
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>The object as plotly.js JSON, e.g. <c>{"type":"bar","x":["a","b"],"y":[1.0,2.0]}</c>.</summary>
    /// <returns>Compact JSON.</returns>
    public string ToJson() => PlotlyJson.Write(this);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _attributes.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
