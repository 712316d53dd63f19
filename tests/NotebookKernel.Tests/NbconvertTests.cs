using System.Text.Json.Nodes;

namespace NotebookKernel.Tests;

/// <summary><c>jupyter nbconvert --execute</c> (nbclient) runs a notebook with this kernel, with the outputs the runner gives.</summary>
public sealed class NbconvertTests
{
    [Fact]
    public void Nbconvert_executes_a_notebook_with_the_kernel_and_its_outputs_match_the_runner()
    {
        // Given the kernel spec installed under a temporary JUPYTER_PATH with the name notebooks declare
        Python.Require("nbconvert", "nbclient", "jupyter_client");
        var root = Directory.CreateTempSubdirectory("kernel-nbconvert-").FullName;
        try
        {
            var install = KernelSpecInstaller.Install(Path.Combine(root, "jupyter", "kernels"), Python.Runner);
            Assert.True(install.Installed, install.Message);
            var notebook = Path.Combine(root, "kernel-outputs.ipynb");
            File.Copy(Python.Fixture("kernel-outputs.ipynb"), notebook);
            var environment = new Dictionary<string, string>
            {
                ["JUPYTER_PATH"] = Path.Combine(root, "jupyter"),
                ["JUPYTER_RUNTIME_DIR"] = Path.Combine(root, "runtime"),
                ["JUPYTER_DATA_DIR"] = Path.Combine(root, "data"),
            };

            // When nbconvert executes it, and the runner executes the same notebook
            var converted = Python.Run(["-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=.net-csharp",
                "--ExecutePreprocessor.timeout=300", "--output", "by-kernel.ipynb", notebook], TimeSpan.FromMinutes(6), environment, root);
            Assert.True(converted.Code == 0, "nbconvert failed:\n" + converted.Output);
            var ran = Python.Process("dotnet", [Python.Runner, "run", notebook, "--output", Path.Combine(root, "by-runner")], TimeSpan.FromMinutes(6));
            Assert.True(ran.Code == 0, "the runner failed:\n" + ran.Output);

            // Then every code cell has the same outputs (types, text, final display state), apart from ids and timings
            var byKernel = Outputs(Path.Combine(root, "by-kernel.ipynb"));
            var byRunner = Outputs(Path.Combine(root, "by-runner", "kernel-outputs.ipynb"));
            Assert.Equal(byRunner.Count, byKernel.Count);
            for (var i = 0; i < byRunner.Count; i++)
                Assert.True(byRunner[i] == byKernel[i], $"code cell {i + 1} differs:\nrunner: {byRunner[i]}\nkernel: {byKernel[i]}");
            Assert.Contains("epoch 3", byKernel[1]);
            Assert.DoesNotContain("epoch 0", byKernel[1]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
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
                parts.Add($"{type}[{mimes}]:" + (data?["text/plain"] is { } plain ? Text(plain) : output["ename"]?.GetValue<string>()));
            }
            cells.Add(string.Join(" | ", parts));
        }
        return cells;
    }

    private static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        null => "",
        _ => node.GetValue<string>(),
    };
}
