using System.Text.Json.Nodes;
using NotebookKernel.Tests;

namespace NotebookRunner.Tests.Run;

public class RunCommandTests(RunnerFixture run) : IClassFixture<RunnerFixture>
{
    private static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    private JsonArray Outputs(string notebook, int codeCell) =>
        run.ExecutedNotebook(notebook)["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").ElementAt(codeCell - 1)!["outputs"]!.AsArray();

    private static string AllText(JsonArray outputs) => string.Join("\n", outputs.Select(o => o!.ToJsonString()));

    [Fact]
    public void The_report_has_the_documented_shape_and_the_exit_code_reflects_failures()
    {
        Assert.Equal(1, run.ExitCode);
        var entry = run.Entry("outputs.ipynb");
        foreach (var key in new[] { "path", "status", "seconds", "cells", "failedCell", "error", "metrics" })
            Assert.True(entry.ContainsKey(key), $"report entry lacks {key}\n{run.Log}");
        Assert.Equal(3, run.Report["passed"]!.GetValue<int>()); // outputs, directives, polyglot
        Assert.True(run.Report["failed"]!.GetValue<int>() > 0);
    }

    [Fact]
    public void Every_output_kind_is_recorded()
    {
        Assert.Equal("passed", run.Entry("outputs.ipynb")["status"]!.GetValue<string>());
        var streams = Outputs("outputs.ipynb", 1);
        Assert.Equal(["stdout", "stderr", "stdout"], streams.Select(o => o!["name"]!.GetValue<string>()));
        Assert.Equal("to stdout\n", Text(streams[0]!["text"]));
        Assert.Equal("a string result", Text(Outputs("outputs.ipynb", 2)[0]!["data"]!["text/plain"]));
        var obj = Outputs("outputs.ipynb", 3)[0]!["data"]!.AsObject();
        Assert.True(obj.ContainsKey("text/html") && obj.ContainsKey("text/plain"));
        Assert.Equal("100", Text(Outputs("outputs.ipynb", 7)[0]!["data"]!["text/plain"]));
        Assert.DoesNotContain(Outputs("outputs.ipynb", 8), o => o!["output_type"]!.GetValue<string>() == "execute_result");
    }

    [Fact]
    public void A_display_update_leaves_only_the_final_state()
    {
        var all = AllText(Outputs("outputs.ipynb", 4));
        Assert.Contains("final state", all);
        Assert.DoesNotContain("first state", all);
        Assert.DoesNotContain("transient", all);
    }

    [Fact]
    public void Metrics_are_collected_into_the_report_and_a_later_record_wins()
    {
        var metrics = run.Entry("outputs.ipynb")["metrics"]!.AsObject();
        Assert.Equal(0.91, metrics["test_accuracy"]!.GetValue<double>());
        Assert.Equal(0.25, metrics["train_loss"]!.GetValue<double>());
    }

    [Fact]
    public void A_compile_error_stops_the_notebook_at_that_cell_with_line_and_column()
    {
        var entry = run.Entry("compile-error.ipynb");
        Assert.Equal(("failed", 2), (entry["status"]!.GetValue<string>(), entry["failedCell"]!.GetValue<int>()));
        Assert.Contains("(2,9): error CS0103", entry["error"]!.GetValue<string>());
        var third = run.ExecutedNotebook("compile-error.ipynb")["cells"]![2]!;
        Assert.Empty(third["outputs"]!.AsArray());
        Assert.Null(third["execution_count"]);
    }

    [Fact]
    public void A_runtime_error_names_the_exception_and_the_cells_own_line()
    {
        var entry = run.Entry("runtime-error.ipynb");
        Assert.Equal(2, entry["failedCell"]!.GetValue<int>());
        var error = Outputs("runtime-error.ipynb", 2).Single(o => o!["output_type"]!.GetValue<string>() == "error")!;
        Assert.Equal("System.DivideByZeroException", error["ename"]!.GetValue<string>());
        Assert.Contains("(line 3)", AllText(error["traceback"]!.AsArray()));
    }

    [Theory]
    [InlineData("native-crash.ipynb", 2, "about to crash")]
    [InlineData("fail-fast.ipynb", 1, "deliberate native crash")]
    public void A_native_crash_is_reported_as_crashed_and_the_executed_copy_shows_it(string notebook, int cell, string visible)
    {
        var entry = run.Entry(notebook);
        Assert.Equal("crashed", entry["status"]!.GetValue<string>());
        Assert.Equal(cell, entry["failedCell"]!.GetValue<int>());
        var executed = run.ExecutedNotebook(notebook).ToJsonString();
        Assert.Contains("ProcessCrashed", executed);
        Assert.Contains(visible, executed);
    }

    [Fact]
    public void A_missing_package_fails_with_a_clear_restore_error()
    {
        var entry = run.Entry("missing-package.ipynb");
        Assert.Equal("failed", entry["status"]!.GetValue<string>());
        Assert.Contains("NuGet restore failed for DeepLearningCourse.Fixture.DoesNotExist 1.0.0", entry["error"]!.GetValue<string>());
    }

    [Fact]
    public void An_unsupported_kernel_fails_that_cell()
    {
        var entry = run.Entry("unsupported-kernel.ipynb");
        Assert.Equal(2, entry["failedCell"]!.GetValue<int>());
        Assert.Contains("kernel 'fsharp' is not supported by this engine", entry["error"]!.GetValue<string>());
    }

    [Fact]
    public void Import_load_time_and_relative_paths_work()
    {
        Assert.Equal("passed", run.Entry("directives.ipynb")["status"]!.GetValue<string>());
        Assert.Equal("2", Text(Outputs("directives.ipynb", 1)[0]!["data"]!["text/plain"]));
        Assert.Equal("loaded from csx", Text(Outputs("directives.ipynb", 2)[0]!["data"]!["text/plain"]));
        Assert.Equal("value from dib", Text(Outputs("directives.ipynb", 3)[0]!["data"]!["text/plain"]));
        Assert.Equal("42", Text(Outputs("directives.ipynb", 4)[0]!["data"]!["text/plain"]));
        Assert.StartsWith("Wall time:", Text(Outputs("directives.ipynb", 5)[0]!["text"]));
        Assert.Contains("<h2", Text(Outputs("directives.ipynb", 6)[0]!["data"]!["text/html"]));
        Assert.Equal("data file read with a path relative to the notebook", Text(Outputs("directives.ipynb", 7)[0]!["data"]!["text/plain"]));
    }

    [Fact]
    public void A_dib_notebook_runs_and_is_written_as_ipynb()
    {
        Assert.Equal("passed", run.Entry("polyglot.dib")["status"]!.GetValue<string>());
        Assert.Equal("1,2,3", Text(Outputs("polyglot.ipynb", 1).Single(o => o!["output_type"]!.GetValue<string>() == "execute_result")!["data"]!["text/plain"]));
    }

    [Fact]
    public void NuGet_packages_restore_with_native_assets_and_a_second_version_is_refused()
    {
        var entry = run.Entry("torch.ipynb");
        Assert.Equal(3, entry["failedCell"]!.GetValue<int>());
        Assert.Equal("2", Text(Outputs("torch.ipynb", 1).Single(o => o!["output_type"]!.GetValue<string>() == "execute_result")!["data"]!["text/plain"]));
        Assert.Equal("1", Text(Outputs("torch.ipynb", 2).Single()!["data"]!["text/plain"]));
        Assert.Contains("version 0.107.0 is already loaded", entry["error"]!.GetValue<string>());
    }

    [Fact]
    public void A_cell_past_the_timeout_ends_the_notebook_with_status_timeout()
    {
        var entry = run.Entry("timeout.ipynb");
        Assert.Equal("timeout", entry["status"]!.GetValue<string>());
        var executed = run.ExecutedNotebook("timeout.ipynb").ToJsonString();
        Assert.Contains("before", executed);
        Assert.Contains("sleeping", executed); // what the cell printed before it timed out is kept
        Assert.Contains("CellTimeoutError", executed);
    }

    [Fact]
    public void Cells_carry_papermill_timing_metadata()
    {
        var papermill = run.ExecutedNotebook("outputs.ipynb")["cells"]![1]!["metadata"]!["papermill"]!;
        Assert.Equal("completed", papermill["status"]!.GetValue<string>());
        Assert.NotNull(papermill["start_time"]);
        Assert.True(papermill["duration"]!.GetValue<double>() >= 0);
    }

    [Fact]
    public void Source_notebooks_are_never_modified()
    {
        foreach (var (file, hash) in run.SourceHashes)
            Assert.Equal(hash, RunnerFixture.Hash(file));
    }

    [Fact]
    public void Executed_notebooks_validate_against_the_nbformat_schema()
    {
        // Given: Debian's python3-nbformat (apt-get install -y python3-nbformat)
        var probe = Python("import nbformat");
        Assert.True(probe.Code == 0, "python3-nbformat is required for this test: apt-get install -y python3-nbformat\n" + probe.Output);

        // When
        var files = Directory.GetFiles(run.Executed, "*.ipynb");
        var script = "import sys, nbformat\nfor p in sys.argv[1:]:\n    nbformat.validate(nbformat.read(p, as_version=4))\n    print('valid', p)";
        var result = Python(script, files);

        // Then
        Assert.True(result.Code == 0, result.Output);
        Assert.Equal(files.Length, result.Output.Split('\n').Count(l => l.StartsWith("valid", StringComparison.Ordinal)));
    }

    private static (int Code, string Output) Python(string script, params string[] args) =>
        ChildProcess.Run("/usr/bin/python3", ["-c", script, .. args], Timeout.InfiniteTimeSpan);
}
