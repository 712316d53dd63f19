using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NotebookRunner.Run;
using NotebookRunner.Tests.Run;

namespace NotebookRunner.Tests.Hardening;

/// <summary>What a run guarantees around its inputs and outputs: sources never overwritten, parameters validated, limits, cleanup.</summary>
public class RunGuaranteeTests : IDisposable
{
    private const string Good = """{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": "6 * 7"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""";

    private readonly string _work = Directory.CreateTempSubdirectory("runner-guarantees").FullName;

    public static TheoryData<string> HostileParameters() =>
    [
        "quick;System.Environment.Exit(1)=true", "a b=1", "1x=1", "class=1", "x.y=1", "x)=1", "=1", "noequals", "a\nb=1", "$x=1", "x-y=1",
        "@x=1", "a/*=1", "#r=1", "x[0]=1", "x\"=1", "new=1", "🙂=1", "a,b=1", "x+=1",
    ];

    [Theory]
    [MemberData(nameof(HostileParameters))]
    public void A_parameter_name_that_is_not_an_identifier_is_refused_before_anything_runs(string pair) =>
        Assert.Contains("run: parameter", ParseError(["nb.ipynb", "-p", pair]));

    [Fact]
    public void A_duplicate_parameter_is_a_clear_error() =>
        Assert.Contains("parameter quick is given twice", ParseError(["nb.ipynb", "-p", "quick=true", "-p", "quick=false"]));

    /// <summary>What <see cref="RunOptions.Parse"/> prints when it refuses <paramref name="args"/>.</summary>
    private static string ParseError(string[] args)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Null(RunOptions.Parse(args));
        }
        finally
        {
            Console.SetError(previous);
        }
        return error.ToString();
    }

    /// <summary>A good notebook, and a regular file to put folders under (which makes them unwritable).</summary>
    private (string Notebook, string Blocker) NotebookAndBlocker()
    {
        var nb = Path.Combine(_work, "a.ipynb");
        File.WriteAllText(nb, Good);
        var blocker = Path.Combine(_work, "file");
        File.WriteAllText(blocker, "");
        return (nb, blocker);
    }

    [Fact]
    public void A_run_has_a_default_per_cell_timeout_and_help_states_it()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), RunOptions.Parse(["nb.ipynb"])!.Timeout);
        Assert.Null(RunOptions.Parse(["nb.ipynb", "--timeout", "0"])!.Timeout);
        Assert.Contains("default 1800", RunOptions.Help);
        Assert.Contains("output truncated: N lines not shown", RunOptions.Help);
    }

    [Fact]
    public void Output_equal_to_the_source_folder_never_overwrites_a_source()
    {
        // Given
        var nb = Path.Combine(_work, "a.ipynb");
        File.WriteAllText(nb, Good);
        File.WriteAllText(Path.Combine(_work, "b.dib"), "#!csharp\n\n1\n");
        File.WriteAllText(Path.Combine(_work, "b.ipynb"), Good);

        // When
        var plan = RunCommand.Plan(RunCommand.Discover([_work], _work), _work);

        // Then
        Assert.All(plan, p => Assert.Contains("OutputConflict", p.Error));
        Assert.Contains("would overwrite a source notebook", plan.Single(p => p.Source == nb).Error);
        Assert.Equal(Good, File.ReadAllText(nb));
    }

    [Fact]
    public void A_file_that_is_not_an_executed_copy_is_not_replaced()
    {
        // Given: the output folder holds a notebook without papermill metadata (a source, not a copy)
        var source = Path.Combine(_work, "src", "a.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        File.WriteAllText(source, Good);
        var output = Path.Combine(_work, "out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "a.ipynb"), Good);

        // When
        var plan = RunCommand.Plan(RunCommand.Discover([source], output), output);

        // Then
        Assert.Contains("is not an executed copy", Assert.Single(plan).Error);
    }

    [Fact]
    public void Executed_copies_under_the_input_folder_are_not_taken_as_sources()
    {
        File.WriteAllText(Path.Combine(_work, "a.ipynb"), Good);
        Directory.CreateDirectory(Path.Combine(_work, "out"));
        File.WriteAllText(Path.Combine(_work, "out", "a.ipynb"), Good);

        var found = RunCommand.Discover([_work], Path.Combine(_work, "out"));

        Assert.Equal(["a.ipynb"], found.Select(f => f.Relative));
    }

    [Fact]
    public async Task A_stack_overflow_is_reported_as_a_crash_that_says_stack_overflow()
    {
        // Given: a cell that recurses without end (.NET cannot catch a stack overflow: the notebook process dies)
        var nb = Path.Combine(_work, "recursion.ipynb");
        File.WriteAllText(nb, """{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": "int Down(int n) => Down(n + 1) + 1;\nDown(0)"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""");
        var report = Path.Combine(_work, "report.json");

        // When
        await RunnerFixture.RunAsync([nb, "-o", Path.Combine(_work, "out"), "--report", report]);

        // Then: the run's report names the cause, though thousands of frames follow the runtime's "Stack overflow." line
        var entry = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(report))!["notebooks"]![0]!;
        Assert.Equal("crashed", entry["status"]!.GetValue<string>());
        Assert.Contains("Stack overflow", entry["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_native_abort_is_reported_as_a_crash_that_names_the_native_librarys_message()
    {
        // Given: a cell whose matmul shapes cannot be multiplied (TorchSharp lets libtorch's error escape: the process aborts)
        var nb = Path.Combine(_work, "matmul.ipynb");
        File.WriteAllText(nb, """{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": "#r \"nuget: TorchSharp-cpu, 0.107.0\"\nTorchSharp.torch.matmul(TorchSharp.torch.ones(2, 3), TorchSharp.torch.ones(4, 5))"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""");
        var report = Path.Combine(_work, "report.json");

        // When
        await RunnerFixture.RunAsync([nb, "-o", Path.Combine(_work, "out"), "--report", report]);

        // Then: the report says the native library aborted, with libtorch's own message (not only "exit code 134")
        var entry = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(report))!["notebooks"]![0]!;
        Assert.Equal("crashed", entry["status"]!.GetValue<string>());
        Assert.Contains("the native library aborted the process (SIGABRT): mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", entry["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unwritable_report_fails_fast_before_anything_runs()
    {
        // Given: the report's folder would be below a regular file
        var (nb, blocker) = NotebookAndBlocker();

        // When
        var (code, log) = await RunnerFixture.RunAsync([nb, "-o", Path.Combine(_work, "out"), "--report", Path.Combine(blocker, "report.json")]);

        // Then
        Assert.Equal(2, code);
        Assert.Contains($"cannot write the report to {Path.Combine(blocker, "report.json")}", log);
        Assert.Contains("nothing was run", log);
        Assert.False(Directory.Exists(Path.Combine(_work, "out")));
    }

    [Fact]
    public async Task An_unwritable_output_fails_each_notebook_and_the_report_is_still_written()
    {
        // Given: the output folder would be below a regular file
        var (nb, blocker) = NotebookAndBlocker();
        var report = Path.Combine(_work, "report.json");

        // When
        var (code, log) = await RunnerFixture.RunAsync([nb, "-o", Path.Combine(blocker, "out"), "--report", report]);

        // Then
        Assert.Equal(1, code);
        var entry = JsonNode.Parse(File.ReadAllText(report))!["notebooks"]![0]!;
        Assert.Equal("failed", entry["status"]!.GetValue<string>());
        Assert.Contains($"OutputError: {nb}: the executed copy cannot be written", entry["error"]!.GetValue<string>());
        Assert.Contains("0/1 notebooks passed", log);
    }

    [Fact]
    public async Task A_cell_that_reads_stdin_and_leaves_a_subprocess_running_neither_hangs_the_run_nor_outlives_it()
    {
        // Given: a cell that starts a long sleep (sharing the notebook's output pipes) and reads a line
        var nb = Path.Combine(_work, "child.ipynb");
        File.WriteAllText(nb, """
            {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": [
              "var p = System.Diagnostics.Process.Start(\"sleep\", \"600\");\n",
              "Console.WriteLine($\"pid {p.Id} read {Console.ReadLine() ?? \"null\"}\");"
            ]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // When
        var (code, log) = await RunnerFixture.RunAsync([nb, "-o", Path.Combine(_work, "out"), "--timeout", "120"]);

        // Then
        Assert.True(code == 0, log);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), $"took {clock.Elapsed}");
        var executed = File.ReadAllText(Path.Combine(_work, "out", "child.ipynb"));
        var pid = int.Parse(System.Text.RegularExpressions.Regex.Match(executed, @"pid (\d+) read null").Groups[1].Value);
        Assert.False(File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z "), $"sleep {pid} outlived its notebook");
    }

    [Fact]
    public void Work_folders_and_half_written_copies_of_killed_runs_are_removed_by_the_next_run()
    {
        // Given: what a killed run leaves (a process id that is not running)
        var deadPid = 4_000_000;
        var work = Path.Combine(Path.GetTempPath(), $"{RunCommand.WorkPrefix}{deadPid}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "checkpoint.ipynb"), Good);
        var output = Path.Combine(_work, "out");
        Directory.CreateDirectory(output);
        var half = Path.Combine(output, $".a.ipynb.{deadPid}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(half, "{\"cells\": [");
        var live = Path.Combine(output, $".b.ipynb.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(live, "{");

        // When
        RunCommand.RemoveStaleWork(output);

        // Then
        Assert.False(Directory.Exists(work));
        Assert.False(File.Exists(half));
        Assert.True(File.Exists(live));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}

/// <summary>A runner killed outright leaves no notebook process running on.</summary>
public class KilledRunTests
{
    [Fact]
    public async Task A_killed_runner_takes_its_notebook_processes_with_it()
    {
        // Given: a runner whose notebook sleeps in a cell
        var work = Directory.CreateTempSubdirectory("runner-killed").FullName;
        var nb = Path.Combine(work, "sleep.ipynb");
        File.WriteAllText(nb, """{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": "System.Threading.Thread.Sleep(600_000);"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll"), "run", nb, "-o", Path.Combine(work, "out") })
            start.ArgumentList.Add(a);
        using var runner = System.Diagnostics.Process.Start(start)!;
        var seen = new System.Text.StringBuilder();
        runner.OutputDataReceived += (_, e) => { lock (seen) seen.AppendLine(e.Data); };
        runner.BeginOutputReadLine();
        runner.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline && !Contains(seen, "cell 1/1"))
            await Task.Delay(200);
        var children = ChildrenOf(runner.Id);
        Assert.NotEmpty(children);

        // When
        runner.Kill();
        await runner.WaitForExitAsync();

        // Then: the notebook process notices within seconds and ends
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until && children.Any(Alive))
            await Task.Delay(250);
        Assert.DoesNotContain(children, Alive);
        Directory.Delete(work, recursive: true);
    }

    private static bool Contains(System.Text.StringBuilder text, string value)
    {
        lock (text)
            return text.ToString().Contains(value, StringComparison.Ordinal);
    }

    private static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static List<int> ChildrenOf(int parent) =>
        [.. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!).Where(pid =>
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]) == parent;
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                return false;
            }
        })];
}
