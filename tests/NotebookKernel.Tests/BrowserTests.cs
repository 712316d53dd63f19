using System.Text.Json.Nodes;

namespace NotebookKernel.Tests;

/// <summary>Debian's classic Jupyter Notebook on loopback, headless Chromium running a chapter-shaped notebook with this kernel.</summary>
public sealed class BrowserTests
{
    [Fact]
    public void Jupyter_Notebook_in_chromium_runs_a_notebook_with_the_kernel_and_draws_its_charts()
    {
        // Given the notebook server (kernel spec on JUPYTER_PATH) and headless Chromium (plotly.js served from the bundled copy: offline)
        Python.Require("notebook", "websocket");
        using var layout = new TestLayout(chapter: true);
        layout.Add("chapter-like.ipynb");
        var shots = Directory.CreateDirectory(Path.Combine(TestLayout.RepoRoot(), "artifacts", "kernel-browser")).FullName;
        var png = Path.Combine(shots, "chapter-like.png");
        var json = Path.Combine(layout.Root, "browser.json");
        File.Delete(png);

        // When the page opens the notebook and runs all cells
        var plotly = Path.Combine(TestLayout.RepoRoot(), "src", "NotebookRunner", "Site", "assets", "plotly.min.js");
        var (code, log) = Python.Run([Python.Script("drive_browser.py"), layout.Root, "notebooks/chapter-like.ipynb", plotly, png, json],
            TimeSpan.FromMinutes(8), layout.Environment);

        // Then the page's kernel is this one, every cell ran without errors, the charts are drawn, and a screenshot is kept
        Assert.True(code == 0 && File.Exists(json), $"drive_browser.py failed (exit {code}):\n{log}");
        var result = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.True(result["kernel_connected"]!.GetValue<bool>(), log);
        Assert.Equal(".net-csharp", result["kernel_name"]!.GetValue<string>());
        Assert.True(result["all_cells_ran"]!.GetValue<bool>(), log);
        Assert.Equal(0, result["error_outputs"]!.GetValue<int>());
        Assert.Empty(result["errors"]!.AsArray());
        Assert.True(result["chart_drawn"]!.GetValue<bool>(), "no Plotly chart was drawn:\n" + log);
        Assert.True(new FileInfo(png).Length > 10_000, $"screenshot {png} is too small");
    }
}
