using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookKernel.Tests;
using NotebookRunner.Site;

namespace NotebookRunner.Tests.Site;

/// <summary>
/// Opens a rendered chapter with charts in headless Chromium (Debian package <c>chromium</c>), with
/// every host but 127.0.0.1 unresolvable, and checks that Plotly drew each chart. The screenshot is
/// kept at <c>artifacts/test-screenshots/02-charts.png</c>. A reader's walk through the site from a file:// URL
/// (navigation, search, charts, console) is driven by puppeteer-core; its screenshots are kept in
/// <c>artifacts/test-screenshots/site/</c>.
/// </summary>
public sealed class ChromiumScreenshotTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly SiteFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Charts_render_offline_in_headless_chromium()
    {
        // Given the chart chapter rendered and served from loopback
        Assert.True(File.Exists(Chromium),
            $"This test needs headless Chromium at {Chromium}: run `apt-get update && apt-get install -y chromium`.");
        new SiteRenderer().Render(Directory.GetFiles(_fixture.Executed), report: null, _fixture.Site);
        using var server = new LoopbackServer(_fixture.Site);
        var url = server.BaseUrl + "02-charts.html";
        var screenshot = Path.Combine(SiteFixture.RepositoryRoot, "artifacts", "test-screenshots", "02-charts.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        // When
        var dom = RunChromium("--dump-dom", url);
        RunChromium($"--screenshot={screenshot}", url);

        // Then Plotly drew an svg into every chart's div: the course library's own formatter, Plotly.NET's
        // require.js mode, and Plotly.NET's toChartHTML and toEmbeddedHTML
        string[] charts = ["chart-contract4", "chart-require", .. _fixture.PlotlyNetChartIds];
        Assert.Equal(4, charts.Distinct().Count(id => id.Length > 0));
        foreach (var id in charts)
        {
            var at = dom.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
            Assert.True(at >= 0, $"chart div {id} is missing from the page");
            var div = dom[at..Math.Min(dom.Length, at + 3000)];
            Assert.True(div.Contains("class=\"main-svg\"", StringComparison.Ordinal), $"Plotly drew nothing into {id}:\n{div}");
        }
        lock (server.Requests)
        {
            Assert.Contains("assets/plotly.min.js", server.Requests);
        }

        // and the screenshot shows the charts' trace colours (plotly.js's #1f77b4, Plotly.NET's #636efa)
        var png = Png.Read(screenshot);
        Assert.Equal(1200, png.Width);
        var traceBlue = png.Count((r, g, b) => Near(r, g, b, 0x1f, 0x77, 0xb4) || Near(r, g, b, 0x63, 0x6e, 0xfa));
        Assert.True(traceBlue > 1000, $"only {traceBlue} chart-blue pixels in {screenshot}");
    }

    [Fact]
    public void Math_is_typeset_by_the_bundled_katex()
    {
        // Given a chapter with inline and display math, served from loopback
        Assert.True(File.Exists(Chromium),
            $"This test needs headless Chromium at {Chromium}: run `apt-get update && apt-get install -y chromium`.");
        new SiteRenderer().Render(Directory.GetFiles(_fixture.Executed), report: null, _fixture.Site);
        using var server = new LoopbackServer(_fixture.Site);

        // When
        var dom = RunChromium("--dump-dom", server.BaseUrl + "01-basics.html");

        // Then
        Assert.Contains("<span class=\"katex\">", dom);
        Assert.Contains("<span class=\"katex-display\">", dom);
        Assert.DoesNotContain("\\frac{1}{1 + e^{-z}}\\]", dom); // the TeX source was replaced
    }

    [Fact]
    public void From_a_file_url_a_reader_navigates_searches_and_sees_the_charts_with_no_console_errors()
    {
        // Given the fixture chapters rendered, opened from a file:// URL by puppeteer-core driving headless Chromium
        // (tests/NotebookRunner.Tests/Site/site-browser-check.mjs); every request that is not file: or data: is aborted
        Assert.True(File.Exists(Chromium),
            $"This test needs headless Chromium at {Chromium}: run `apt-get update && apt-get install -y chromium`.");
        var modules = Path.Combine(SiteFixture.RepositoryRoot, ".ci", "node_modules", "puppeteer-core");
        Assert.True(Directory.Exists(modules), $"node module puppeteer-core is missing from {modules}: run .ci/run, or `npm ci --prefix .ci` (needs node and npm).");
        new SiteRenderer().Render(Directory.GetFiles(_fixture.Executed), RunReport.Load(SiteFixture.ReportPath), _fixture.Site);
        var screenshots = Path.Combine(SiteFixture.RepositoryRoot, "artifacts", "test-screenshots", "site");
        if (Directory.Exists(screenshots))
            Directory.Delete(screenshots, recursive: true);
        const string query = "warmup"; // only chapter 02 says it, under "Training curves"

        // When
        var script = Path.Combine(SiteFixture.RepositoryRoot, "tests", "NotebookRunner.Tests", "Site", "site-browser-check.mjs");
        var (code, output) = ChildProcess.Run("node", [script, _fixture.Site, screenshots, query], TimeSpan.FromMinutes(3),
            environment: new Dictionary<string, string> { ["CHROMIUM"] = Chromium });

        // Then the reader went from the course page to the first chapter, on to the next, and back
        Assert.True(code == 0, $"node {script} exited with {code}:\n{output}");
        var seen = JsonNode.Parse(File.ReadAllText(Path.Combine(screenshots, "result.json")))!;
        Assert.Equal(2, (int)seen["cards"]!);
        Assert.Equal(["index.html", "01-basics.html", "02-charts.html", "01-basics.html", "02-charts.html#training-curves"],
            seen["navigation"]!.AsArray().Select(n => (string)n!));
        // and Plotly drew every chart of the chart chapter: the library's, require.js mode and Plotly.NET's two
        var charts = seen["charts"]!["ids"]!.AsArray().Select(n => (string)n!).ToList();
        string[] expected = ["chart-contract4", "chart-require", .. _fixture.PlotlyNetChartIds];
        Assert.Equal(expected.Order(StringComparer.Ordinal), charts.Order(StringComparer.Ordinal));
        Assert.Equal(4, (int)seen["charts"]!["drawn"]!);
        // and the search found the one chapter that says the word, and took the reader to its section's heading
        var results = seen["search"]!["results"]!.AsArray();
        Assert.Equal("02-charts.html#training-curves", (string)Assert.Single(results)!["href"]!);
        Assert.Equal("Charts offline › Training curves", (string)results[0]!["text"]!);
        Assert.Contains("after the learning-rate warmup", (string)results[0]!["snippet"]!); // why it matched
        Assert.Equal("02-charts.html#training-curves", (string)seen["search"]!["landed"]!);
        Assert.InRange((int)seen["search"]!["headingTop"]!, 0, 100);
        // and nothing was logged as an error, asked of the network, or missing
        Assert.Empty(seen["consoleErrors"]!.AsArray());
        Assert.Empty(seen["external"]!.AsArray());
        Assert.Empty(seen["missing"]!.AsArray());
        // and the screenshots are kept
        foreach (var shot in new[] { "landing.png", "chapter.png", "next-chapter.png", "search.png", "search-target.png" })
            Assert.Equal(1200, Png.Read(Path.Combine(screenshots, shot)).Width);
    }

    private static bool Near(byte r, byte g, byte b, int R, int G, int B) =>
        Math.Abs(r - R) < 16 && Math.Abs(g - G) < 16 && Math.Abs(b - B) < 16;

    private string RunChromium(string action, string url)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", // offline: a CDN request could not succeed
            $"--user-data-dir={Path.Combine(_fixture.Root, "chromium-profile-" + Guid.NewGuid().ToString("N"))}", // removed with the fixture
            "--window-size=1200,2600", "--virtual-time-budget=5000", action, url,
        })
        {
            start.ArgumentList.Add(arg);
        }
        using var chromium = Process.Start(start)!;
        var stdout = chromium.StandardOutput.ReadToEndAsync();
        var stderr = chromium.StandardError.ReadToEndAsync();
        if (!chromium.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            chromium.Kill(entireProcessTree: true);
            Assert.Fail($"chromium {action} did not finish within 120 s");
        }
        Assert.True(chromium.ExitCode == 0, $"chromium {action} exited with {chromium.ExitCode}:\n{stderr.Result}");
        return stdout.Result;
    }
}
