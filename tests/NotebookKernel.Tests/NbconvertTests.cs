using System.Text.Json.Nodes;

namespace NotebookKernel.Tests;

/// <summary><c>jupyter nbconvert --execute</c> (nbclient) runs a notebook with this kernel, with the outputs the runner gives.</summary>
public sealed partial class NbconvertTests
{
    [Fact]
    public void Nbconvert_executes_a_notebook_with_the_kernel_and_its_outputs_match_the_runner()
    {
        // Given a notebook with every kind of output, under the kernelspec name notebooks declare
        // When nbconvert executes it with the kernel, and the runner executes the same notebook
        var (byKernel, byRunner) = ExecuteBoth("kernel-outputs.ipynb");

        // Then every code cell has the same outputs (types, text, final display state), apart from ids
        AssertSame(byRunner, byKernel);
        Assert.Contains("epoch 3", byKernel[1]);
        Assert.DoesNotContain("epoch 0", byKernel[1]);
    }

    [Fact]
    public void A_notebook_on_the_course_setup_runs_through_nbconvert_as_through_the_runner()
    {
        // Given a chapter-shaped notebook: `#!import ../kernels/setup.dib` (TorchSharp, Data.Analysis, the course
        // library), a live ProgressBoard, a Plotly chart and a tensor result, in a notebooks/ folder beside src/ and kernels/
        // When nbconvert executes it with the kernel, and the runner executes it
        var (byKernel, byRunner) = ExecuteBoth("chapter-like.ipynb", chapter: true);

        // Then the outputs match the runner's apart from timings
        AssertSame(byRunner, byKernel);
        Assert.Contains("Plotly chart", byKernel[2]);
        Assert.Contains("execute_result[text/html,text/plain]:3", byKernel[3]);
    }

    private static void AssertSame(List<string> byRunner, List<string> byKernel)
    {
        Assert.Equal(byRunner.Count, byKernel.Count);
        for (var i = 0; i < byRunner.Count; i++)
            Assert.True(byRunner[i] == byKernel[i], $"code cell {i + 1} differs:\nrunner: {byRunner[i]}\nkernel: {byKernel[i]}");
    }

    /// <summary>Executes fixture <paramref name="fixture"/> with nbconvert (this kernel) and with the runner.</summary>
    private static (List<string> ByKernel, List<string> ByRunner) ExecuteBoth(string fixture, bool chapter = false)
    {
        Python.Require("nbconvert", "nbclient", "jupyter_client");
        using var layout = new TestLayout(chapter);
        var notebook = layout.Add(fixture);
        var converted = Python.Run(["-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=.net-csharp",
            "--ExecutePreprocessor.timeout=300", "--output", "by-kernel.ipynb", notebook], TimeSpan.FromMinutes(6), layout.Environment, layout.NotebookFolder);
        Assert.True(converted.Code == 0, "nbconvert failed:\n" + converted.Output);
        var ran = ChildProcess.Run("dotnet", [Python.Runner, "run", notebook, "--output", Path.Combine(layout.Root, "by-runner")], TimeSpan.FromMinutes(6));
        Assert.True(ran.Code == 0, "the runner failed:\n" + ran.Output);
        return (Outputs(Path.Combine(layout.NotebookFolder, "by-kernel.ipynb")), Outputs(Path.Combine(layout.Root, "by-runner", fixture)));
    }

    /// <summary>Each code cell's outputs as comparable text: consecutive streams merged, display ids and metadata left out.</summary>
    private static List<string> Outputs(string path)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(path))!;
        var cells = new List<string>();
        foreach (var cell in notebook["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code"))
        {
            var parts = new List<string>();
            string? lastStream = null;
            foreach (var output in cell!["outputs"]!.AsArray())
            {
                var type = output!["output_type"]!.GetValue<string>();
                if (type == "stream")
                {
                    var name = output["name"]!.GetValue<string>();
                    var text = Text(output["text"]);
                    if (lastStream == name)
                        parts[^1] += text;
                    else
                        parts.Add($"stream:{name}:" + text);
                    lastStream = name;
                    continue;
                }
                lastStream = null;
                var data = output["data"]?.AsObject();
                var mimes = data is null ? "" : string.Join(",", data.Select(p => p.Key).Order());
                parts.Add($"{type}[{mimes}]:" + (data?["text/plain"] is { } plain ? Timings().Replace(Text(plain), "<t> s") : output["ename"]?.GetValue<string>()));
            }
            cells.Add(string.Join(" | ", parts));
        }
        return cells;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\d+(\.\d+)? s\b")]
    private static partial System.Text.RegularExpressions.Regex Timings();

    private static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        null => "",
        _ => node.GetValue<string>(),
    };
}
