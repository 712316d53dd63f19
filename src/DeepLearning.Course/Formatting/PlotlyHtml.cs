using System.Net;
using DeepLearning.Course.Visualization;

namespace DeepLearning.Course.Formatting;

/// <summary>
/// Renders a <see cref="Figure"/> as a self-contained HTML fragment: a <c>div</c>
/// and a <c>script</c> that plots with <c>window.Plotly</c> when the page already has it (the
/// course site bundles plotly.js) and otherwise loads it from the CDN first.
/// </summary>
/// <remarks>Introduced in chapter 01 (basics): the first chart a chapter shows goes through it.</remarks>
public static class PlotlyHtml
{
    /// <summary>The plotly.js version the course's figures target (the one Plotly.NET 6.0 targets, bundled by the site).</summary>
    public const string PlotlyVersion = "2.28.0";

    /// <summary>Where the script loads plotly.js from when the page has not loaded it.</summary>
    public const string CdnUrl = "https://cdn.plot.ly/plotly-" + PlotlyVersion + ".min.js";

    /// <summary>The chart's figure JSON (<c>{"data":[...],"layout":{...},"config":{...}}</c>).</summary>
    /// <param name="chart">A chart.</param>
    /// <returns>JSON, written as Plotly.NET wrote it (<see cref="Figure.ToJson"/>).</returns>
    public static string ToJson(Figure chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return chart.ToJson();
    }

    /// <summary>The HTML fragment (div + script) that draws <paramref name="chart"/>.</summary>
    /// <param name="chart">A chart.</param>
    /// <returns>An HTML fragment safe to embed anywhere in a page.</returns>
    public static string ToHtml(Figure chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return FromFigureJson(ToJson(chart));
    }

    /// <summary>The HTML fragment for a figure given as plotly.js JSON.</summary>
    /// <param name="figureJson">JSON with <c>data</c>, <c>layout</c> and optionally <c>config</c>.</param>
    /// <returns>An HTML fragment.</returns>
    public static string FromFigureJson(string figureJson)
    {
        var id = "dlc-plot-" + Guid.NewGuid().ToString("N");
        // "</" inside JSON strings would close the script element early.
        var json = figureJson.Replace("</", "<\\/", StringComparison.Ordinal);
        return $"<div id=\"{id}\" class=\"dlc-plotly\"></div>\n" + Script(
            // A live display (ProgressBoard) may replace the div before plotly.js has loaded: then there is nothing to draw.
            $"if (!document.getElementById('{id}')) return;\n    var figure = {json};\n    window.Plotly.newPlot('{id}', figure.data, figure.layout || {{}}, figure.config || {{ responsive: true }});");
    }

    /// <summary>
    /// A <c>script</c> element that runs <paramref name="drawJs"/> once plotly.js is available:
    /// at once when <c>window.Plotly</c> is defined, otherwise after loading <see cref="CdnUrl"/>.
    /// </summary>
    /// <param name="drawJs">JavaScript that calls <c>Plotly.newPlot</c>.</param>
    /// <returns>The script element.</returns>
    public static string Script(string drawJs) => $$"""
<script type="text/javascript">
(function () {
  var draw = function () {
    {{drawJs}}
  };
  if (typeof window.Plotly !== 'undefined') { draw(); return; }
  var src = '{{CdnUrl}}';
  // Classic Jupyter Notebook has RequireJS: plotly.js (UMD) then registers as an AMD module and leaves
  // window.Plotly undefined, so load it through RequireJS there (as plotly.py does).
  if (typeof window.requirejs === 'function' && typeof window.requirejs.config === 'function') {
    window.requirejs.config({ paths: { 'plotly-{{PlotlyVersion}}': src.replace(/\.js$/, '') } });
    window.requirejs(['plotly-{{PlotlyVersion}}'], function (plotly) { window.Plotly = window.Plotly || plotly; draw(); });
    return;
  }
  var existing = document.querySelector('script[src="' + src + '"]');
  if (existing) { existing.addEventListener('load', draw); return; }
  var script = document.createElement('script');
  script.src = src;
  script.onload = draw;
  document.head.appendChild(script);
})();
</script>
""";

    /// <summary>A short plain-text description of a chart (trace count and kinds, title).</summary>
    /// <param name="chart">A chart.</param>
    /// <returns>One line, e.g. <c>Plotly chart: 2 traces (scatter, scatter) "Loss"</c>.</returns>
    public static string ToPlainText(Figure chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return chart.ToString();
    }

    internal static string Encode(string text) => WebUtility.HtmlEncode(text);
}
