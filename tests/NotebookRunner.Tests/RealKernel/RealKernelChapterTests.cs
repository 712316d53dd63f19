using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace NotebookRunner.Tests.RealKernel;

/// <summary>
/// Every chapter in <c>notebooks/</c> runs unchanged in Microsoft's .NET Interactive (the
/// <c>dotnet-interactive</c> global tool's Jupyter kernel <c>.net-csharp</c>, version <see cref="ToolVersion"/>),
/// driven by nbclient with quick mode injected after the <c>parameters</c> cell as papermill does
/// (<c>tests/realkernel/run_notebook.py</c>), and learns the same numbers as the course's runner.
/// </summary>
public class RealKernelChapterTests(ITestOutputHelper output)
{
    /// <summary>The .NET Interactive version the course is tested against.</summary>
    public const string ToolVersion = "1.0.712001";

    /// <summary>
    /// Learned metrics must agree within <c>Tolerance × max(1, |value|)</c>: relative for values above 1,
    /// absolute below (metrics named <c>*_seconds</c> are wall times, recorded by both but not compared).
    /// Both hosts run the same libtorch with the same seeds and thread count; measured, every metric was
    /// bit-identical except two that measure float64 rounding themselves (chapter 01's
    /// <c>gd_vs_closed_form_rel_diff</c> 2.8e-7 and <c>nn_vs_closed_form_rel_diff</c> 8.2e-13, which moved by 4e-17).
    /// </summary>
    public const double Tolerance = 1e-9;

    private const string InstallCommands =
        $"    dotnet tool install -g Microsoft.dotnet-interactive --version {ToolVersion}\n" +
        "    export PATH=\"$PATH:$HOME/.dotnet/tools\"\n" +
        "    mkdir -p ~/.local/share/jupyter/kernels && dotnet interactive jupyter install\n" +
        "(.ci/run does this; see README \"Working in Polyglot Notebooks / .NET Interactive\")";

    private static string RepoRoot => Site.SiteFixture.RepositoryRoot;

    private static string NotebooksFolder => Path.Combine(RepoRoot, "notebooks");

    // The same discovery as the course runner's chapter test: every notebook in notebooks/, chapters added later included.
    [Theory]
    [MemberData(nameof(Chapters.ChapterTests.Chapters), MemberType = typeof(Chapters.ChapterTests))]
    public async Task Chapter_runs_unchanged_in_dotnet_interactive_and_learns_what_the_course_runner_learns(string chapter)
    {
        // Given Microsoft's .NET Interactive kernel, the library built in Release, and the chapter's source
        RequireRealKernel();
        var library = Path.Combine(RepoRoot, "src", "DeepLearning.Course", "bin", "Release", "net8.0", "DeepLearning.Course.dll");
        Assert.True(File.Exists(library), $"{library} is missing: run the tests with `dotnet test -c Release`.");
        var folder = Directory.CreateDirectory(Path.Combine(RepoRoot, "artifacts", "test-realkernel")).FullName;
        var name = Path.GetFileNameWithoutExtension(chapter);
        var source = Path.Combine(NotebooksFolder, chapter);
        var before = File.ReadAllText(source);

        // When the real kernel runs it in quick mode, and the course's runner runs it with the same parameters
        var realReport = Path.Combine(folder, name + ".dotnet-interactive.json");
        File.Delete(realReport);
        var clock = Stopwatch.StartNew();
        var (realCode, realLog) = await RunAsync("/usr/bin/python3", [Path.Combine(RepoRoot, "tests", "realkernel", "run_notebook.py"), source,
            "--output", Path.Combine(folder, name + ".dotnet-interactive.ipynb"), "--report", realReport,
            "-p", "quick=true", "--timeout", "900", "--kernel", ".net-csharp"]);
        var realSeconds = clock.Elapsed.TotalSeconds;
        var courseReport = Path.Combine(folder, name + ".course.json");
        clock.Restart();
        var (courseCode, courseLog) = await RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll"), "run", source,
            "-p", "quick=true", "--timeout", "900", "--output", Path.Combine(folder, "course"), "--report", courseReport]);
        var courseSeconds = clock.Elapsed.TotalSeconds;

        // Then the chapter passed in .NET Interactive, every cell's error (if any) in the message
        Assert.True(File.Exists(realReport), $"{chapter}: the driver wrote no report (exit {realCode}):\n{realLog}");
        var real = JsonNode.Parse(File.ReadAllText(realReport))!;
        output.WriteLine($"{chapter}: .NET Interactive {real["status"]} in {real["seconds"]} s (process {realSeconds:F1} s); course runner exit {courseCode} in {courseSeconds:F1} s");
        Assert.True(realCode == 0 && real["status"]!.GetValue<string>() == "passed",
            $"{chapter} failed in .NET Interactive {ToolVersion}: {real["status"]} at code cell {real["failedCell"]}:\n{real["error"]}\n{realLog}");
        // and wrote no compiler warnings to stderr (nullable annotations outside a nullable context, CS8632)
        var warnings = real["stderr"]!.AsArray().Select(s => $"cell {s!["cell"]}: {s["text"]}").Where(s => s.Contains("warning CS8632", StringComparison.Ordinal)).ToList();
        Assert.True(warnings.Count == 0, $"{chapter}: compiler warnings in .NET Interactive:\n{string.Join("\n", warnings)}");
        // and its live displays updated the output they published (the saved notebook keeps the last frame)
        var updates = real["displayUpdates"]!;
        Assert.True(updates["unmatched"]!.GetValue<int>() == 0,
            $"{chapter}: {updates["unmatched"]} of {updates["updated"]} display updates named a display id that was never published");
        // and it learned the numbers the course's runner learned
        var course = JsonNode.Parse(File.ReadAllText(courseReport))!["notebooks"]!.AsArray().Single()!;
        Assert.True(courseCode == 0 && course["status"]!.GetValue<string>() == "passed", $"{chapter} failed in the course runner: {course["error"]}\n{courseLog}");
        var expected = Metrics(course["metrics"]!);
        var actual = Metrics(real["metrics"]!);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        // (wall times such as chapter_seconds or gpt_train_seconds measure the host, not what was learned: present in both, not compared)
        var differing = expected.Where(m => !m.Key.EndsWith("_seconds", StringComparison.Ordinal) && !Close(m.Value, actual[m.Key]))
            .Select(m => $"{m.Key}: course {m.Value.ToString("R", CultureInfo.InvariantCulture)}, .NET Interactive {actual[m.Key].ToString("R", CultureInfo.InvariantCulture)}").ToList();
        Assert.True(differing.Count == 0, $"{chapter}: metrics differ by more than {Tolerance} x max(1, |value|):\n{string.Join("\n", differing)}");
        // and the source notebook was not touched
        Assert.Equal(before, File.ReadAllText(source));
    }

    /// <summary>Fails (never skips) with the install commands when the tool or its kernel spec is missing.</summary>
    private static void RequireRealKernel()
    {
        var probe = RunAsync("/usr/bin/python3", ["-c",
            "import jupyter_client.kernelspec as k, json; s = k.KernelSpecManager().get_kernel_spec('.net-csharp'); print(json.dumps(s.argv))"]).GetAwaiter().GetResult();
        Assert.True(probe.Code == 0, $"Jupyter's kernel spec `.net-csharp` (Microsoft .NET Interactive {ToolVersion}) is required:\n{InstallCommands}\n{probe.Output}");
        var argv = JsonNode.Parse(probe.Output.Trim().Split('\n')[^1])!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.True(argv.Contains("interactive") || argv.Any(a => a.EndsWith("dotnet-interactive", StringComparison.Ordinal)),
            $"kernel spec `.net-csharp` is not Microsoft's .NET Interactive (argv: {string.Join(" ", argv)}; the course's own kernel also installs under that name):\n{InstallCommands}");
        var tool = RunAsync("dotnet", ["tool", "list", "-g"]).GetAwaiter().GetResult();
        Assert.True(tool.Output.Contains("microsoft.dotnet-interactive", StringComparison.OrdinalIgnoreCase) && tool.Output.Contains(ToolVersion, StringComparison.Ordinal),
            $"the dotnet-interactive global tool {ToolVersion} is required:\n{InstallCommands}\n{tool.Output}");
    }

    private static Dictionary<string, double> Metrics(JsonNode metrics) =>
        metrics.AsObject().ToDictionary(m => m.Key, m => m.Value!.GetValue<double>());

    private static bool Close(double expected, double actual) =>
        expected.Equals(actual) || Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected));

    private static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot };
        foreach (var a in args) start.ArgumentList.Add(a);
        // The tool's global install folder, as the README tells learners to add it.
        var tools = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools");
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") + Path.PathSeparator + tools;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
