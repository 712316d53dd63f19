using System.Text.Json.Nodes;
using NotebookKernel.Tests;
using NotebookRunner.Export;
using NotebookRunner.Tests.Chapters;
using Xunit.Abstractions;

namespace NotebookRunner.Tests.Export;

/// <summary>
/// One real chapter exported by <c>NotebookRunner export</c> and run as a .NET 10 file-based app with <c>dotnet run</c> in
/// quick mode learns exactly what the course runner learns from the notebook with the same seed.
/// </summary>
public class ExportedChapterTests(ITestOutputHelper output)
{
    /// <summary>Chapter 05, the quickest chapter with trained models (about 13 s of cells in quick mode).</summary>
    public const string Chapter = "05-embeddings.ipynb";

    /// <summary>
    /// Learned metrics must be equal: the app runs the same code on the same libtorch with the same seeds and threads
    /// (measured: all 12 of chapter 05's metrics bit-identical). Only wall times (<c>*_seconds</c>) are not compared.
    /// </summary>
    public const double Tolerance = 0;

    [Fact]
    public async Task Exported_chapter_runs_with_dotnet_run_and_records_the_metrics_of_the_notebook_run()
    {
        // Given the course runner's quick-mode run of the chapter (shared with the chapter test)
        var root = Site.SiteFixture.RepositoryRoot;
        var (runCode, runLog, report) = await ChapterRun.QuickAsync(Chapter);
        var entry = JsonNode.Parse(await File.ReadAllTextAsync(report))!["notebooks"]!.AsArray().Single()!;
        Assert.True(runCode == 0 && entry["status"]!.GetValue<string>() == "passed", $"the runner's run failed:\n{runLog}");
        var expected = entry["metrics"]!.AsObject().ToDictionary(m => m.Key, m => m.Value!.GetValue<double>());

        // When the chapter is exported and the app runs in quick mode with dotnet run, from its folder
        var folder = Path.Combine(root, "artifacts", "test-export");
        var app = AppExporter.Export(Path.Combine(root, "notebooks", Chapter), folder);
        var (code, log) = await ChildProcess.RunAsync("dotnet", ["run", Path.GetFileName(app), "--", "quick=true"], TimeSpan.FromMinutes(20), workingDirectory: folder);
        output.WriteLine(log.Length > 4000 ? log[^4000..] : log);

        // Then it succeeded, printed its displays, wrote them as files, and recorded every metric the notebook run recorded, with equal values
        Assert.True(code == 0, $"dotnet run {Path.GetFileName(app)} -- quick=true exited {code}:\n{log}");
        Assert.Contains("checked results meet their quick-mode thresholds", log);
        var outputs = Path.Combine(folder, Path.GetFileNameWithoutExtension(app) + "-output");
        Assert.NotEmpty(Directory.GetFiles(outputs, "display-*.html"));
        var recorded = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outputs, "metrics.json")))!.AsObject()
            .ToDictionary(m => m.Key, m => m.Value!.GetValue<double>());
        Assert.Equal(expected.Keys.Order(), recorded.Keys.Order());
        var differences = expected.Where(m => !m.Key.EndsWith("_seconds", StringComparison.Ordinal)
                && Math.Abs(m.Value - recorded[m.Key]) > Tolerance * Math.Max(1, Math.Abs(m.Value)))
            .Select(m => $"{m.Key}: notebook {m.Value:R}, app {recorded[m.Key]:R}").ToList();
        Assert.True(differences.Count == 0, "metrics differ:\n" + string.Join('\n', differences));
    }
}
