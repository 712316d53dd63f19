using System.Reflection;
using Microsoft.DotNet.Interactive.Formatting;

namespace DeepLearning.Course.Formatting;

/// <summary>
/// Renders XPlot.Plotly charts (<c>XPlot.Plotly.PlotlyChart</c>) with the same plotly.js loader as
/// the course's charts. The library does not reference XPlot: the formatter is registered by
/// reflection as soon as a notebook loads the XPlot.Plotly assembly.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics), for notebooks that already use XPlot.</remarks>
public static class XPlotHtml
{
    private const string ChartTypeName = "XPlot.Plotly.PlotlyChart";
    private static readonly object Gate = new();
    private static bool _hooked;
    private static bool _registered;

    /// <summary>
    /// Registers the XPlot formatter now if XPlot.Plotly is loaded, and otherwise as soon as it loads.
    /// </summary>
    public static void RegisterWhenLoaded()
    {
        lock (Gate)
        {
            if (!_hooked)
            {
                _hooked = true;
                AppDomain.CurrentDomain.AssemblyLoad += (_, e) => TryRegister(e.LoadedAssembly);
            }
        }
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()) TryRegister(assembly);
    }

    /// <summary>The HTML for an XPlot chart: its div and a script that uses or loads plotly.js.</summary>
    /// <param name="chart">An <c>XPlot.Plotly.PlotlyChart</c>.</param>
    /// <returns>An HTML fragment.</returns>
    public static string ToHtml(object chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var type = chart.GetType();
        var id = (string)type.GetProperty("Id")!.GetValue(chart)!;
        var width = type.GetProperty("Width")?.GetValue(chart) ?? 900;
        var height = type.GetProperty("Height")?.GetValue(chart) ?? 500;
        var js = (string)type.GetMethod("GetPlottingJS", Type.EmptyTypes)!.Invoke(chart, null)!;
        return $"<div id=\"{id}\" style=\"width: {width}px; height: {height}px;\"></div>\n" + PlotlyHtml.Script(js.Trim());
    }

    private static void TryRegister(Assembly assembly)
    {
        if (assembly.IsDynamic || assembly.GetName().Name != "XPlot.Plotly") return;
        var type = assembly.GetType(ChartTypeName, throwOnError: false);
        if (type is null) return;
        lock (Gate)
        {
            if (_registered) return;
            _registered = true;
        }
        Formatter.Register(type, (chart, writer) => writer.Write(ToHtml(chart)), "text/html");
        Formatter.Register(type, (chart, writer) => writer.Write($"XPlot chart {type.GetProperty("Id")?.GetValue(chart)}"), "text/plain");
        Formatter.SetPreferredMimeTypesFor(type, "text/html", "text/plain");
    }
}
