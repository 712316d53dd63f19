using NotebookEngine.Execution;

namespace NotebookEngine.Tests.Hardening;

/// <summary>
/// Cell mistakes the engine itself used to turn into a stack overflow (which ends the process, in the runner's
/// notebook process as in the kernel): a self-containing collection as a cell's result, and import cycles.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class EngineFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("engine-fault-").FullName;
    private readonly KernelSession _session;

    public EngineFaultTests() => _session = new KernelSession(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("var l = new List<object>(); l.Add(l); l", "contains itself")]
    [InlineData("var a = new List<object>(); var b = new List<object> { a }; a.Add(b); a", "contains itself")]
    [InlineData("var d = new Dictionary<string, object>(); d[\"me\"] = d; d", "contains itself")]
    [InlineData("object deep = 0; for (var i = 0; i < 200; i++) deep = new List<object> { deep }; deep", "nested more than")]
    public async Task A_collection_that_contains_itself_is_shown_with_ToString_and_the_session_goes_on(string code, string why)
    {
        // When a cell's result contains itself (directly, through another list, as a dictionary value) or nests very deep
        var result = await _session.ExecuteAsync(code);

        // Then it succeeds with a plain-text result saying why it is not formatted, and the session still runs cells
        Assert.True(result.Succeeded, result.ErrorValue);
        var plain = result.Outputs.Single(o => o["output_type"]!.GetValue<string>() == "execute_result")["data"]!["text/plain"]!.GetValue<string>();
        Assert.Contains(why, plain);
        Assert.True((await _session.ExecuteAsync("1 + 1")).Succeeded);
    }

    [Fact]
    public async Task A_list_of_lists_without_a_cycle_is_formatted_as_usual()
    {
        var result = await _session.ExecuteAsync("var shared = new List<int> { 1 }; new List<object> { shared, shared }");
        Assert.True(result.Succeeded);
        Assert.Contains("text/html", result.Outputs.Single(o => o["output_type"]!.GetValue<string>() == "execute_result")["data"]!.AsObject().Select(p => p.Key));
    }

    [Theory]
    [InlineData("#!import", ".dib", "#!csharp\n")]
    [InlineData("#load", ".csx", "")]
    public async Task An_import_or_load_cycle_fails_the_cell_naming_it(string directive, string extension, string header)
    {
        // Given a file that imports itself and two that import each other (#load takes a quoted path, #!import a bare one)
        string Ref(string path) => directive == "#load" ? $"{directive} \"{path}\"" : $"{directive} {path}";
        File.WriteAllText(Path.Combine(_dir, "self" + extension), $"{header}{Ref(Path.Combine(_dir, "self" + extension))}\nvar s = 1;\n");
        File.WriteAllText(Path.Combine(_dir, "a" + extension), $"{header}{Ref(Path.Combine(_dir, "b" + extension))}\nvar a = 1;\n");
        File.WriteAllText(Path.Combine(_dir, "b" + extension), $"{header}{Ref(Path.Combine(_dir, "a" + extension))}\nvar b = 1;\n");

        // When a cell imports them, Then each fails naming the cycle, and the session goes on
        var self = await _session.ExecuteAsync(Ref(Path.Combine(_dir, "self" + extension)));
        Assert.False(self.Succeeded);
        Assert.Contains($"import cycle: self{extension} → self{extension}", self.ErrorValue);
        var pair = await _session.ExecuteAsync(Ref(Path.Combine(_dir, "a" + extension)));
        Assert.False(pair.Succeeded);
        Assert.Contains($"a{extension} → b{extension} → a{extension}", pair.ErrorValue);
        Assert.True((await _session.ExecuteAsync("1 + 1")).Succeeded);
    }
}
