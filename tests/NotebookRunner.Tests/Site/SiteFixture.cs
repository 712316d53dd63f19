using System.Text.Json.Nodes;

namespace NotebookRunner.Tests.Site;

/// <summary>
/// Executed-notebook fixtures from <c>tests/fixtures/executed</c>, copied into a fresh temporary
/// folder per test. The chart notebook gets two more cells holding real Plotly.NET 6.0 output
/// (<c>GenericChart.toChartHTML</c> and <c>GenericChart.toEmbeddedHTML</c>).
/// </summary>
public sealed class SiteFixture : IDisposable
{
    public SiteFixture()
    {
        Root = Directory.CreateTempSubdirectory("site-test-").FullName;
        Directory.CreateDirectory(Executed);
        foreach (var name in new[] { "01-basics.ipynb", "02-charts.ipynb" })
            File.Copy(Path.Combine(FixturesFolder, name), Path.Combine(Executed, name));
        AddPlotlyNetCharts(Path.Combine(Executed, "02-charts.ipynb"));
    }

    public string Root { get; }
    public string Executed => Path.Combine(Root, "executed");
    public string Site => Path.Combine(Root, "site");
    public static string ReportPath => Path.Combine(FixturesFolder, "report.json");
    public static string BrokenNotebookText => File.ReadAllText(Path.Combine(FixturesFolder, "99-broken.ipynb.txt"));

    public string Page(string name) => File.ReadAllText(Path.Combine(Site, name));

    public static string RepositoryRoot { get; } = FindRepositoryRoot();
    private static string FixturesFolder => Path.Combine(RepositoryRoot, "tests", "fixtures", "executed");

    /// <summary>Div ids of the Plotly.NET charts added to the chart notebook.</summary>
    public List<string> PlotlyNetChartIds { get; } = [];

    private void AddPlotlyNetCharts(string notebookPath)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(notebookPath))!.AsObject();
        var cells = notebook["cells"]!.AsArray();
        var loss = Plotly.NET.CSharp.Chart.Line<double, double, string>(
            x: [1.0, 2, 3, 4, 5], y: [2.3, 1.1, 0.7, 0.5, 0.42], Name: "train loss");
        var accuracy = Plotly.NET.CSharp.Chart.Point<double, double, string>(
            x: [1.0, 2, 3, 4, 5], y: [0.62, 0.78, 0.86, 0.89, 0.91], Name: "test accuracy");
        foreach (var html in new[] { Plotly.NET.GenericChart.toChartHTML(loss), Plotly.NET.GenericChart.toEmbeddedHTML(accuracy) })
        {
            PlotlyNetChartIds.Add(System.Text.RegularExpressions.Regex.Match(html, "<div id=\"([0-9a-f-]{36})\"").Groups[1].Value);
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = cells.Count,
                ["metadata"] = new JsonObject(),
                ["source"] = "chart",
                ["outputs"] = new JsonArray(new JsonObject
                {
                    ["output_type"] = "display_data",
                    ["metadata"] = new JsonObject(),
                    ["data"] = new JsonObject { ["text/html"] = html, ["text/plain"] = "Plotly.NET chart" },
                }),
            });
        }
        File.WriteAllText(notebookPath, notebook.ToJsonString());
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DeepLearningCourse.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("repository root (DeepLearningCourse.slnx) not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
