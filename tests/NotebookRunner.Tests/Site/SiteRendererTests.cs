using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner.Run;
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
        Assert.Single(Regex.Matches(page, "<body"));
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
    public void The_status_page_lists_chapters_with_status_time_and_metrics_from_the_report()
    {
        // Given / When
        RenderWithReport();

        // Then the run's status table, a secondary page the course page links to
        Assert.Contains("1 of 3 chapters passed in the run that made these pages. <a href=\"status.html\">Run status table</a>", _fixture.Page("index.html"));
        var index = _fixture.Page("status.html");
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
    public void Without_a_report_the_status_page_takes_metrics_from_outputs_and_the_last_record_wins()
    {
        // Given / When
        new SiteRenderer().Render(Directory.GetFiles(_fixture.Executed), report: null, _fixture.Site);

        // Then
        var index = _fixture.Page("status.html");
        Assert.Contains("test_accuracy = <b>0.91</b>", index);
        Assert.Contains("train_loss = <b>0.25</b>", index);
        Assert.DoesNotContain("test_accuracy = <b>0.5</b>", index);
        Assert.Contains("<span class=\"status failed\">failed</span>", index); // 01 has an error output
        Assert.Contains("<span class=\"status passed\">passed</span>", index);
    }

    [Fact]
    public void The_course_page_has_a_card_per_chapter_with_its_summary_headline_results_and_time()
    {
        // Given / When
        RenderWithReport();

        // Then each card names its chapter, says what it is about (the intro's first paragraph) and how long it took
        var index = _fixture.Page("index.html");
        Assert.Equal(2, Regex.Matches(index, "<li class=\"card\">").Count);
        Assert.Contains("<a class=\"card-title\" href=\"01-basics.html\">Basics of the site renderer</a>", index);
        Assert.Contains("<p class=\"summary\">This chapter has bold text, a table and math", index);
        Assert.Contains("<span class=\"time\">1 min 23 s</span>", index);
        // and the headline results with what each number is, beside the published number and its anchor
        var charts = index[index.IndexOf("href=\"02-charts.html\"", StringComparison.Ordinal)..];
        Assert.Contains("<span class=\"metric-label\" title=\"chart_test_accuracy\">chart model, test accuracy</span> <span class=\"ours\"><b>0.913</b></span>", charts);
        Assert.Contains("published <b>0.883</b> <span class=\"anchor\">fashion-mnist-readme-mlp</span>", charts);
        Assert.Contains("title=\"MLP 256-128-100, test accuracy (zalandoresearch/fashion-mnist README, benchmark table (self-reported))\"", charts);
        Assert.Contains("learning rate at the end</span> <span class=\"ours\"><b>1.2E-05</b></span>", charts);
        Assert.DoesNotContain("f1", index); // bare metric names stay on the status page
    }

    [Fact]
    public void A_card_shows_results_compared_with_a_published_number_first_then_others_at_most_three()
    {
        // Given a results table of five rows, two of them with a published anchor, and a bare record
        PublishedAnchor[] anchor = [new("a", "0.9", "what", "source")];
        RecordedMetric Row(string name, bool published) => new(name, 1, "label " + name, "1", published ? anchor : []);
        var records = new[] { Row("r1", false), Row("r2", true), new RecordedMetric("bare", 1, null, null, []), Row("r3", false), Row("r4", true), Row("r5", false) };

        // When
        var headlines = CoursePage.Headlines(records);

        // Then
        Assert.Equal(["r2", "r4", "r1"], headlines.Select(r => r.Name));
    }

    [Fact]
    public void Chapter_pages_have_contents_from_their_headings_with_anchors()
    {
        // Given / When
        RenderWithReport();

        // Then
        var page = _fixture.Page("02-charts.html");
        Assert.Contains("<h2 id=\"training-curves\">Training curves</h2>", page);
        Assert.Contains("<h3 id=\"counts-per-class\">Counts per class</h3>", page);
        Assert.Contains("""
            <li class="level-2"><a href="#training-curves">Training curves</a></li>
            <li class="level-3"><a href="#counts-per-class">Counts per class</a></li>
            <li class="level-2"><a href="#results">Results</a></li>
            """.ReplaceLineEndings("\n"), page);
    }

    [Fact]
    public void Results_rows_on_a_chapter_page_read_as_labels_with_the_published_anchor()
    {
        // Given / When
        RenderWithReport();

        // Then the row's badge (the raw metric id) gives way to its label, our value and the published number
        var page = _fixture.Page("02-charts.html");
        Assert.Contains("<span class=\"metric-label\" title=\"chart_test_accuracy\">chart model, test accuracy</span> <span class=\"ours\"><b>0.913</b></span> <span class=\"published\"", page);
        Assert.DoesNotContain("<b>chart_test_accuracy</b> = 0.913", page);
        // and a bare Metrics.Record keeps its badge
        Assert.Contains("test_accuracy", _fixture.Page("01-basics.html"));
    }

    [Fact]
    public void Chapter_pages_say_how_to_work_through_the_chapter_three_ways()
    {
        // Given / When
        RenderWithReport();

        // Then
        var page = _fixture.Page("02-charts.html");
        Assert.Contains("<h2>Work through this chapter</h2>", page);
        Assert.Contains("open <code>notebooks/02-charts.ipynb</code> in VS Code", page);
        Assert.Contains("with the kernel <code>.net-csharp</code>", page);
        Assert.Contains("dotnet run --project src/NotebookRunner -c Release -- run notebooks/02-charts.ipynb -p quick=true", page);
        Assert.Contains("dotnet run --project src/NotebookRunner -c Release -- export notebooks/02-charts.ipynb", page);
    }

    [Fact]
    public void The_search_index_is_a_script_with_one_document_per_section_linking_to_its_heading()
    {
        // Given / When
        RenderWithReport();

        // Then it is a script a file:// page can load (not JSON to fetch), and every page loads it with MiniSearch
        var script = File.ReadAllText(Path.Combine(_fixture.Site, SearchIndex.FileName));
        const string prefix = "window.courseSearchDocuments = ";
        var start = script.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length;
        var documents = JsonNode.Parse(script[start..script.LastIndexOf(';')])!.AsArray();
        var sections = documents.Select(d => ((string)d!["url"]!, (string)d["section"]!)).ToList();
        Assert.Contains(("01-basics.html", "Basics of the site renderer"), sections); // the intro, before any h2
        Assert.Contains(("01-basics.html#errors", "Errors"), sections);
        Assert.Contains(("02-charts.html#training-curves", "Training curves"), sections);
        Assert.Contains(("02-charts.html#counts-per-class", "Counts per class"), sections);
        var warmup = Assert.Single(documents, d => ((string)d!["text"]!).Contains("warmup", StringComparison.Ordinal));
        Assert.Equal("Charts offline", (string)warmup!["chapter"]!);
        Assert.Contains(documents, d => ((string)d!["text"]!).Contains("Console.WriteLine(\"hello from stdout\")", StringComparison.Ordinal)); // code is searchable
        Assert.Equal(documents.Count, documents.Select(d => (int)d!["id"]!).Distinct().Count());
        Assert.True(File.Exists(Path.Combine(_fixture.Site, "assets", "minisearch.js")));
        Assert.True(File.Exists(Path.Combine(_fixture.Site, "assets", "minisearch-LICENSE.txt")));
        foreach (var page in Directory.GetFiles(_fixture.Site, "*.html").Select(File.ReadAllText))
        {
            Assert.Contains("<script src=\"assets/minisearch.js\"></script>", page);
            Assert.Contains("<script src=\"search-index.js\"></script>", page);
            Assert.Contains("<input type=\"search\" id=\"search-input\"", page);
        }
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
        Assert.Equal(["01-basics.html", "02-charts.html", "index.html", "status.html"], pages.Select(Path.GetFileName).Order());
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
