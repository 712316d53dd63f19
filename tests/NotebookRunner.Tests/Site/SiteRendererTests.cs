using NotebookRunner.Site;

namespace NotebookRunner.Tests.Site;

public sealed class SiteRendererTests : IDisposable
{
    private readonly SiteFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private void RenderWithReport() =>
        new SiteRenderer().Render(Directory.GetFiles(_fixture.Executed), RunReport.Load(SiteFixture.ReportPath), _fixture.Site);

    [Fact]
    public void Markdown_cells_become_html_with_tables_and_headings()
    {
        // Given / When
        RenderWithReport();

        // Then
        var page = _fixture.Page("01-basics.html");
        Assert.Contains("Basics of the site renderer</h1>", page);
        Assert.Contains("<strong>bold</strong>", page);
        Assert.Contains("<table>", page);
        Assert.Contains("<span class=\"math\">\\(x^2\\)</span>", page); // typeset by KaTeX in the browser
        Assert.Contains("<em>markdown</em> output from a cell", page); // a text/markdown output
    }

    [Fact]
    public void Links_to_notebooks_point_at_their_pages_and_attachments_are_inlined()
    {
        // Given / When
        RenderWithReport();

        // Then
        var page = _fixture.Page("01-basics.html");
        Assert.Contains("<a href=\"02-charts.html#top\">charts chapter</a>", page);
        Assert.Contains("<img src=\"data:image/png;base64,iVBOR", page);
        Assert.DoesNotContain("attachment:", page);
    }

    [Fact]
    public void Plain_text_is_the_fallback_and_is_escaped_while_trusted_html_is_kept()
    {
        // Given / When
        RenderWithReport();

        // Then
        var page = _fixture.Page("01-basics.html");
        Assert.Contains("<pre>&lt;b&gt;not bold&lt;/b&gt; &amp; friends</pre>", page);
        Assert.DoesNotContain("<b>not bold</b>", page);
        Assert.Contains("<table class=\"trusted\"><tr><td>trusted html</td></tr></table>", page);
        Assert.Contains("hello from stdout", page);
        Assert.Contains("&quot;epochs&quot;: 3", page); // application/json, pretty-printed
        Assert.Contains("src=\"data:image/png;base64,", page);
    }

    [Fact]
    public void Code_sources_are_escaped_and_highlighted_in_code_blocks()
    {
        // Given / When
        RenderWithReport();

        // Then
        var page = _fixture.Page("01-basics.html");
        Assert.Contains("<pre class=\"source\"><code class=\"language-csharp\">Console.WriteLine(<span class=\"string\">&quot;hello from stdout&quot;</span>);", page);
        Assert.Contains("display(HTML(<span class=\"string\">&quot;&lt;table class=\\&quot;trusted\\&quot;&gt;", page);
        Assert.Contains("<span class=\"keyword\">throw</span> <span class=\"keyword\">new</span> InvalidOperationException(", page);
        Assert.Contains("Metrics.Record(<span class=\"string\">&quot;test_accuracy&quot;</span>, <span class=\"number\">0.5</span>)", page);
    }

    [Fact]
    public void A_whole_html_document_output_keeps_its_body_and_scripts_only()
    {
        // Given the chart chapter, whose last output is Plotly.NET's toEmbeddedHTML document
        // When
        RenderWithReport();

        // Then
        var page = _fixture.Page("02-charts.html");
        Assert.Contains($"<div id=\"{_fixture.PlotlyNetChartIds[1]}\">", page);
        Assert.DoesNotContain("Plotly.NET Datavisualization", page);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, "<body"));
    }

    [Fact]
    public void Errors_show_name_value_and_traceback_without_ansi_codes()
    {
        // Given / When
        RenderWithReport();

        // Then
        var page = _fixture.Page("01-basics.html");
        Assert.Contains("<div class=\"output error\">", page);
        Assert.Contains("<strong>System.InvalidOperationException</strong>: boom &lt;here&gt;", page);
        Assert.Contains("in cell 8: line 1", page);
        Assert.False(page.Contains('\u001b'), "an ANSI escape character is left in the page");
        Assert.DoesNotContain("[0;31m", page);
    }

    [Fact]
    public void Index_lists_chapters_with_status_time_and_metrics_from_the_report()
    {
        // Given / When
        RenderWithReport();

        // Then
        var index = _fixture.Page("index.html");
        Assert.Contains("<a href=\"01-basics.html\">Basics of the site renderer</a>", index);
        Assert.Contains("<a href=\"02-charts.html\">Charts offline</a>", index); // "# Charts *offline*" as plain text
        Assert.Contains("<td class=\"number\">01</td>", index);
        Assert.Contains("<span class=\"status failed\">failed</span>", index);
        Assert.Contains("1 min 23 s", index);
        Assert.Contains("test_accuracy = <b>0.93</b>", index);
        Assert.Contains("f1 = <b>0.9</b>", index);
        Assert.Contains("learning_rate = <b>1.2E-05</b>", index);
        Assert.DoesNotContain("train_loss", index); // the report is the source of truth when given
        Assert.Contains("03-crash.ipynb (no executed copy)</td>", index); // in the report, never written
        Assert.Contains("<span class=\"status crashed\">crashed</span>", index);
    }

    [Fact]
    public void Without_a_report_the_index_takes_metrics_from_outputs_and_the_last_record_wins()
    {
        // Given / When
        new SiteRenderer().Render(Directory.GetFiles(_fixture.Executed), report: null, _fixture.Site);

        // Then
        var index = _fixture.Page("index.html");
        Assert.Contains("test_accuracy = <b>0.91</b>", index);
        Assert.Contains("train_loss = <b>0.25</b>", index);
        Assert.DoesNotContain("test_accuracy = <b>0.5</b>", index);
        Assert.Contains("<span class=\"status failed\">failed</span>", index); // 01 has an error output
        Assert.Contains("<span class=\"status passed\">passed</span>", index);
    }

    [Fact]
    public void Chapter_pages_link_to_their_neighbours()
    {
        // Given / When
        RenderWithReport();

        // Then
        Assert.Contains("<a class=\"next\" href=\"02-charts.html\">Charts offline →</a>", _fixture.Page("01-basics.html"));
        Assert.Contains("<a class=\"prev\" href=\"01-basics.html\">← Basics of the site renderer</a>", _fixture.Page("02-charts.html"));
    }

    [Fact]
    public void Every_page_loads_the_bundled_plotly_and_no_page_names_a_cdn()
    {
        // Given / When
        RenderWithReport();

        // Then
        var plotly = File.ReadAllText(Path.Combine(_fixture.Site, "assets", "plotly.min.js"));
        Assert.True(File.Exists(Path.Combine(_fixture.Site, "assets", "katex", "fonts", "KaTeX_Main-Regular.woff2")));
        Assert.StartsWith("/**\n* plotly.js v2.28.0", plotly);
        var pages = Directory.GetFiles(_fixture.Site, "*.html");
        Assert.Equal(3, pages.Length);
        foreach (var page in pages.Select(File.ReadAllText))
        {
            Assert.Contains("<script src=\"assets/plotly.min.js\"></script>", page);
            Assert.Contains("<script src=\"assets/katex/katex.min.js\"></script>", page);
            Assert.False(PlotlyOffline.MentionsCdn(page));
            Assert.DoesNotContain("cdn.plot.ly", page);
            Assert.DoesNotContain("cdnjs.cloudflare.com", page);
            Assert.DoesNotContain("https://", page);
        }
    }

    [Fact]
    public void A_failed_render_leaves_the_previous_site_intact()
    {
        // Given a rendered site and a folder with one broken notebook
        RenderWithReport();
        var before = _fixture.Page("index.html");
        File.WriteAllText(Path.Combine(_fixture.Executed, "03-broken.ipynb"), SiteFixture.BrokenNotebookText);
        var error = new StringWriter();
        var stderr = Console.Error;

        // When
        int exitCode;
        try
        {
            Console.SetError(error);
            exitCode = RenderCommand.Run(["render", _fixture.Executed, "--output", _fixture.Site]);
        }
        finally
        {
            Console.SetError(stderr);
        }

        // Then
        Assert.Equal(1, exitCode);
        Assert.Contains("03-broken.ipynb: not a notebook", error.ToString());
        Assert.Equal(before, _fixture.Page("index.html"));
        Assert.False(File.Exists(Path.Combine(_fixture.Site, "03-broken.html")));
        Assert.Equal([_fixture.Executed, _fixture.Site], Directory.GetDirectories(_fixture.Root).Order());
    }

    [Fact]
    public void The_command_replaces_an_existing_site()
    {
        // Given a stale file in the output folder
        Directory.CreateDirectory(_fixture.Site);
        File.WriteAllText(Path.Combine(_fixture.Site, "stale.html"), "old");

        // When
        var exitCode = RenderCommand.Run(["render", _fixture.Executed, "--output", _fixture.Site, "--report", SiteFixture.ReportPath]);

        // Then
        Assert.Equal(0, exitCode);
        Assert.False(File.Exists(Path.Combine(_fixture.Site, "stale.html")));
        Assert.True(File.Exists(Path.Combine(_fixture.Site, "02-charts.html")));
    }
}
