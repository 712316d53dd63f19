using NotebookRunner.Site;

namespace NotebookRunner.Tests.Site;

public class PlotlyOfflineTests
{
    [Fact]
    public void A_cdn_script_tag_is_dropped_because_the_page_head_loads_plotly()
    {
        // Given what Plotly.NET's toEmbeddedHTML puts in its head
        var html = """<head><script src="https://cdn.plot.ly/plotly-2.28.0.min.js" charset="utf-8"></script><title>t</title></head>""";

        // When
        var offline = PlotlyOffline.Rewrite(html);

        // Then
        Assert.Equal("<head><title>t</title></head>", offline);
    }

    [Fact]
    public void A_cdn_url_in_a_loader_or_a_require_config_points_at_the_local_asset()
    {
        // Given the course library's chart loader (a script tag for plotly when window.Plotly is missing) and Plotly.NET's require.js mode
        var loader = """script.src = "https://cdn.plot.ly/plotly-2.28.0.min.js";""";
        var require = """requirejs.config({paths:{plotly:'https://cdn.plot.ly/plotly-2.28.0.min'}}); s.setAttribute("src", "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js");""";

        // When / Then
        Assert.Equal("""script.src = "assets/plotly.min.js";""", PlotlyOffline.Rewrite(loader));
        Assert.Equal("""requirejs.config({paths:{plotly:'assets/plotly.min'}}); s.setAttribute("src", "assets/site.js");""", PlotlyOffline.Rewrite(require));
    }

    [Fact]
    public void Html_without_charts_is_unchanged()
    {
        var html = "<table><tr><td>https://example.org/data.csv</td></tr></table>";
        Assert.Equal(html, PlotlyOffline.Rewrite(html));
    }
}
