using System.Text.RegularExpressions;

namespace NotebookRunner.Site;

/// <summary>
/// Makes chart HTML work offline. Every page loads the bundled plotly.js (<c>assets/plotly.min.js</c>,
/// npm <c>plotly.js-dist-min</c> 2.28.0) and a require.js stand-in (<c>assets/site.js</c>) in its head,
/// so <c>window.Plotly</c> and <c>requirejs</c> exist before any output runs. What outputs bring along:
/// <list type="bullet">
/// <item>course-library chart snippets: a loader that uses <c>window.Plotly</c> and otherwise adds a CDN script;</item>
/// <item>Plotly.NET <c>toEmbeddedHTML</c>: <c>&lt;script src="https://cdn.plot.ly/plotly-2.28.0.min.js"&gt;</c>;</item>
/// <item>Plotly.NET's require.js mode (as .NET Interactive showed charts):
/// <c>requirejs.config({paths:{plotly:'https://cdn.plot.ly/plotly-2.28.0.min'}})</c> and a
/// require.js CDN loader.</item>
/// </list>
/// CDN script tags are dropped (the head already has plotly.js) and every other CDN URL is pointed at
/// the local assets, so no rendered page names the network.
/// </summary>
public static partial class PlotlyOffline
{
    public const string PlotlyAsset = "assets/plotly.min.js";
    public const string ShimAsset = "assets/site.js";

    public static string Rewrite(string html)
    {
        html = CdnScriptTag().Replace(html, "");
        html = PlotlyUrl().Replace(html, m => m.Value.EndsWith(".js", StringComparison.Ordinal)
            ? PlotlyAsset
            : PlotlyAsset[..^".js".Length]); // require.js paths name modules without ".js"
        return RequireJsUrl().Replace(html, ShimAsset);
    }

    /// <summary>True when the text still names a plotly or require.js CDN.</summary>
    public static bool MentionsCdn(string html) => PlotlyUrl().IsMatch(html) || RequireJsUrl().IsMatch(html);

    [GeneratedRegex("""<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//cdn\.plot\.ly/[^>]*>\s*</script>""", RegexOptions.IgnoreCase)]
    private static partial Regex CdnScriptTag();

    [GeneratedRegex("""(?:https?:)?//cdn\.plot\.ly/[^"'\s)<>]*""", RegexOptions.IgnoreCase)]
    private static partial Regex PlotlyUrl();

    [GeneratedRegex("""(?:https?:)?//[\w.-]+/[^"'\s<>]*require(?:\.min)?\.js""", RegexOptions.IgnoreCase)]
    private static partial Regex RequireJsUrl();
}
