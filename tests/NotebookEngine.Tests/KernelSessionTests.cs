using System.Text.Json.Nodes;
using NotebookEngine.Execution;

namespace NotebookEngine.Tests;

[Collection(EngineCollection.Name)]
public class KernelSessionTests
{
    private readonly KernelSession _session = new(Path.GetTempPath());

    private static JsonObject Single(CellResult r, string type) => Assert.Single(r.Outputs, o => o["output_type"]!.GetValue<string>() == type);

    [Fact]
    public async Task State_carries_from_cell_to_cell_and_the_last_expression_is_the_result()
    {
        // Given
        await _session.ExecuteAsync("var x = 40;");

        // When
        var result = await _session.ExecuteAsync("x + 2");

        // Then
        var data = Single(result, "execute_result")["data"]!;
        Assert.Equal("42", data["text/plain"]!.GetValue<string>());
        Assert.Equal(result.ExecutionCount, Single(result, "execute_result")["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Strings_are_plain_text_and_objects_are_html_with_a_plain_text_fallback()
    {
        var text = await _session.ExecuteAsync("\"hello\"");
        var obj = await _session.ExecuteAsync("new { A = 1 }");

        Assert.Equal(["text/plain"], Single(text, "execute_result")["data"]!.AsObject().Select(p => p.Key));
        var objData = Single(obj, "execute_result")["data"]!.AsObject();
        Assert.Contains("<table>", objData["text/html"]!.GetValue<string>());
        Assert.NotNull(objData["text/plain"]);
    }

    [Fact]
    public async Task Statements_and_void_calls_produce_no_result()
    {
        var result = await _session.ExecuteAsync("Console.Write(\"\")");

        Assert.DoesNotContain(result.Outputs, o => o["output_type"]!.GetValue<string>() == "execute_result");
    }

    [Fact]
    public async Task Console_output_becomes_stdout_and_stderr_streams()
    {
        var result = await _session.ExecuteAsync("Console.WriteLine(\"out 1\"); Console.WriteLine(\"out 2\"); Console.Error.WriteLine(\"err\");");

        Assert.Equal(2, result.Outputs.Count);
        Assert.Equal(("stdout", "out 1\nout 2\n"), (result.Outputs[0]["name"]!.GetValue<string>(), result.Outputs[0]["text"]!.GetValue<string>()));
        Assert.Equal(("stderr", "err\n"), (result.Outputs[1]["name"]!.GetValue<string>(), result.Outputs[1]["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Display_with_three_mime_types_makes_one_display_data_with_exactly_those()
    {
        var result = await _session.ExecuteAsync(
            "display(new { name = \"acc\", value = 0.9 }, \"text/html\", \"text/plain\", \"application/vnd.deeplearning-course.metrics+json\");");

        var data = Single(result, "display_data")["data"]!.AsObject();
        Assert.Equal(["text/html", "text/plain", "application/vnd.deeplearning-course.metrics+json"], data.Select(p => p.Key));
    }

    [Fact]
    public async Task An_update_replaces_the_displayed_output_in_place()
    {
        var events = new List<OutputEvent>();
        _session.OutputChanged += events.Add;

        var result = await _session.ExecuteAsync("var d = display(\"one\"); Console.WriteLine(\"between\"); d.Update(\"two\");");

        Assert.Equal("two", result.Outputs[0]["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal(2, result.Outputs.Count);
        Assert.Contains(events, e => e.Kind == "updated");
        Assert.NotNull(result.Outputs[0]["transient"]!["display_id"]);
    }

    [Fact]
    public async Task Html_DisplayAs_and_DisplayTable_resolve_as_in_polyglot()
    {
        var result = await _session.ExecuteAsync("display(HTML(\"<b>x</b>\")); \"<i>y</i>\".DisplayAs(\"text/html\"); new[] { 1, 2 }.DisplayTable();");

        var html = result.Outputs.Select(o => o["data"]!["text/html"]!.GetValue<string>()).ToList();
        Assert.Equal("<b>x</b>", html[0]);
        Assert.Equal("<i>y</i>", html[1]);
        Assert.Contains("2", html[2]);
    }

    [Fact]
    public async Task Compile_errors_list_the_cells_own_line_and_column()
    {
        var result = await _session.ExecuteAsync("var ok = 1;\nvar bad = missing + 1;");

        Assert.False(result.Succeeded);
        var error = Single(result, "error");
        Assert.Equal("CompilationError", error["ename"]!.GetValue<string>());
        Assert.StartsWith("(2,11): error CS0103", error["evalue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Runtime_errors_point_at_the_cells_own_line()
    {
        var result = await _session.ExecuteAsync("var a = 0;\n\nvar b = 1 / a;");

        var error = Single(result, "error");
        Assert.Equal("System.DivideByZeroException", error["ename"]!.GetValue<string>());
        Assert.Contains("(line 3)", string.Join("\n", error["traceback"]!.AsArray().Select(l => l!.GetValue<string>())));
    }

    [Theory]
    [InlineData("fsharp", "printfn \"x\"")]
    [InlineData(null, "#!pwsh\nGet-Date")]
    public async Task Other_kernels_fail_the_cell_clearly(string? kernel, string source)
    {
        var result = await _session.ExecuteAsync(source, kernel);

        Assert.False(result.Succeeded);
        Assert.Contains("is not supported by this engine", result.ErrorValue);
    }

    [Fact]
    public async Task Markdown_cells_render_to_html()
    {
        var result = await _session.ExecuteAsync("#!markdown\n# Title *x*");

        Assert.Contains("<h1", result.Outputs[0]["data"]!["text/html"]!.GetValue<string>());
    }

    [Fact]
    public async Task Time_reports_wall_time_after_the_cell()
    {
        var result = await _session.ExecuteAsync("#!time\nvar s = 1;");

        Assert.StartsWith("Wall time:", Single(result, "stream")["text"]!.GetValue<string>());
    }
}

[CollectionDefinition(Name)]
public class EngineCollection
{
    public const string Name = "engine";
}

[Collection(EngineCollection.Name)]
public class ReferenceDirectiveTests
{
    [Fact]
    public async Task A_file_reference_resolves_against_the_notebook_folder()
    {
        // Given: a library built into a temporary "notebook folder"
        var folder = Directory.CreateTempSubdirectory("nbref").FullName;
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("public static class Greeter { public static string Hi() => \"hi from dll\"; }");
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("FixtureGreeter", [tree],
            [Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
        using (var file = File.Create(Path.Combine(folder, "FixtureGreeter.dll")))
            Assert.True(compilation.Emit(file).Success);
        var session = new KernelSession(folder);

        // When
        var result = await session.ExecuteAsync("Greeter.Hi()\n#r \"FixtureGreeter.dll\"");

        // Then: the #r after the code was hoisted
        Assert.True(result.Succeeded, result.ErrorValue);
        Assert.Equal("hi from dll", result.Outputs.Single()["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_missing_file_reference_fails_clearly()
    {
        var session = new KernelSession(Path.GetTempPath());

        var result = await session.ExecuteAsync("#r \"does-not-exist.dll\"");

        Assert.Equal("ReferenceNotFound", result.ErrorName);
    }
}
