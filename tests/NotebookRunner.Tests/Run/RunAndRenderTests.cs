using System.Text.Json.Nodes;
using NotebookKernel.Tests;

namespace NotebookRunner.Tests.Run;

/// <summary>The README's main command: <c>run … --render</c> executes notebooks, writes the report and renders the site.</summary>
public class RunAndRenderTests
{
    [Fact]
    public async Task Run_with_site_executes_reports_and_renders_one_page_per_notebook()
    {
        // Given a notebook that records a metric, and an empty work folder
        var work = Directory.CreateTempSubdirectory("run-render").FullName;
        try
        {
            var notebook = Path.Combine(work, "01-tiny.ipynb");
            await File.WriteAllTextAsync(notebook, TinyNotebook);

            // When the runner runs it with --site
            var site = Path.Combine(work, "site");
            var report = Path.Combine(work, "report.json");
            var (code, log) = await ChildProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll"), "run", notebook,
                "--output", Path.Combine(work, "executed"), "--report", report, "--site", site], Timeout.InfiniteTimeSpan, workingDirectory: work);

            // Then it passed, the report has the metric, and the site has the course page, the status page and the chapter page
            Assert.True(code == 0, log);
            var entry = JsonNode.Parse(await File.ReadAllTextAsync(report))!["notebooks"]![0]!;
            Assert.Equal(42, entry["metrics"]!["answer"]!.GetValue<double>());
            var index = await File.ReadAllTextAsync(Path.Combine(site, "index.html"));
            Assert.Contains("Tiny chapter", index);
            Assert.Contains("answer", await File.ReadAllTextAsync(Path.Combine(site, "status.html"))); // a bare metric: on the run status page
            Assert.True(Directory.GetFiles(site, "*.html").Length >= 2, "expected index.html and one page per notebook");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private const string TinyNotebook = """
        {
         "cells": [
          {"cell_type": "markdown", "metadata": {}, "source": ["# Tiny chapter\n"]},
          {"cell_type": "code", "execution_count": null, "metadata": {"polyglot_notebook": {"kernelName": "csharp"}}, "outputs": [],
           "source": ["display(new { name = \"answer\", value = 42 }.ToString());\n",
                      "Kernel.display(System.Text.Json.JsonSerializer.Serialize(new { name = \"answer\", value = 42 }), \"application/vnd.deeplearning-course.metrics+json\");"]}
         ],
         "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}},
         "nbformat": 4, "nbformat_minor": 5
        }
        """;
}
