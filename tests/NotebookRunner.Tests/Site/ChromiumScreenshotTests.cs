using System.Diagnostics;
using NotebookRunner.Site;

namespace NotebookRunner.Tests.Site;

/// <summary>
/// Opens a rendered chapter with charts in headless Chromium (Debian package <c>chromium</c>), with
/// every host but 127.0.0.1 unresolvable, and checks that Plotly drew each chart. The screenshot is
/// kept at <c>artifacts/test-screenshots/02-charts.png</c>.
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

        // Then Plotly drew an svg into every chart's div: the course library's formatter (a div + a script using window.Plotly), Plotly.NET's
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
