using NotebookEngine.Documents;
using NotebookEngine.Execution;

namespace NotebookEngine.Tests;

[Collection(EngineCollection.Name)]
public class NotebookExecutorTests
{
    [Fact]
    public async Task Parameters_are_injected_after_the_parameters_cell_typed_like_the_defaults()
    {
        // Given
        var path = Path.Combine(Fixtures.Notebooks, "parameters.ipynb");
        var doc = NotebookFile.Load(path);

        // When
        var result = await NotebookExecutor.RunAsync(doc, path, new NotebookRunOptions
        {
            Parameters = [new("quick", "true"), new("epochs", "7"), new("lr", "1"), new("name", "cli")],
            SetWorkingDirectory = false,
        });

        // Then
        Assert.Equal(NotebookStatus.Passed, result.Status);
        Assert.Contains("injected-parameters", doc.Cells[2].Tags);
        Assert.Equal("quick=True epochs=7 lr=1 name=cli", doc.Cells[3].Outputs[0]["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal("cli", doc.Metadata["papermill"]!["parameters"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_parameters_the_defaults_apply_and_no_cell_is_added()
    {
        var path = Path.Combine(Fixtures.Notebooks, "parameters.ipynb");
        var doc = NotebookFile.Load(path);
        var cells = doc.Cells.Count;

        var result = await NotebookExecutor.RunAsync(doc, path, new NotebookRunOptions { SetWorkingDirectory = false });

        Assert.Equal(NotebookStatus.Passed, result.Status);
        Assert.Equal(cells, doc.Cells.Count);
        Assert.Equal("quick=False epochs=3 lr=0.1 name=default", doc.Cells[2].Outputs[0]["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task Native_asset_hooks_see_each_native_library_before_it_loads()
    {
        // Given
        var seen = new List<string>();
        NativeAssetHooks.Register(path =>
        {
            lock (seen)
                seen.Add(path);
        });
        var session = new KernelSession(Path.GetTempPath());

        // When
        var result = await session.ExecuteAsync("#r \"nuget: TorchSharp-cpu, 0.107.0\"\nTorchSharp.torch.ones(2).sum().item<float>()");

        // Then
        Assert.True(result.Succeeded, result.ErrorValue);
        lock (seen)
            Assert.Contains(seen, p => p.EndsWith("libLibTorchSharp.so", StringComparison.Ordinal) || p.EndsWith("LibTorchSharp.dll", StringComparison.Ordinal));
    }
}
