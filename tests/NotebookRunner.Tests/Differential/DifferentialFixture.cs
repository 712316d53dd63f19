using System.Text.Json.Nodes;
using NotebookEngine.Documents;
using NotebookEngine.Execution;

using NotebookRunner.Tests.RealKernel;
using NotebookRunner.Tests.Run;

namespace NotebookRunner.Tests.Differential;

/// <summary>One engine fixture as the differential suite runs it: the same parameters and cell timeout in both engines.</summary>
/// <param name="Fixture">File name in tests/fixtures/notebooks.</param>
/// <param name="Parameters">Papermill parameters (<c>-p name=value</c>).</param>
/// <param name="TimeoutSeconds">Per-cell timeout.</param>
public sealed record DifferentialCase(string Fixture, string[] Parameters, int TimeoutSeconds = 120)
{
    /// <summary>The executed copy's file name (the runner writes a .dib as .ipynb).</summary>
    public string ExecutedName => Path.ChangeExtension(Fixture, ".ipynb");
}

/// <summary>
/// Runs every engine semantics fixture in the course runner and in Microsoft's .NET Interactive kernel (through
/// nbclient, <see cref="DotNetInteractive"/>), once, and keeps both executed copies and statuses.
/// </summary>
public sealed class DifferentialFixture : IAsyncLifetime
{
    /// <summary>The fixtures compared: all of tests/fixtures/notebooks (helpers/ holds files they import).</summary>
    public static readonly DifferentialCase[] Cases =
    [
        new("outputs.ipynb", []), new("compile-error.ipynb", []), new("runtime-error.ipynb", []), new("native-crash.ipynb", []),
        new("fail-fast.ipynb", []), new("missing-package.ipynb", []), new("unsupported-kernel.ipynb", []), new("directives.ipynb", []),
        new("polyglot.dib", []), new("torch.ipynb", []), new("tables.ipynb", []), new("default-imports.ipynb", []),
        new("parameters.ipynb", ["quick=true", "epochs=5", "lr=0.01", "name=injected"]),
        new("timeout.ipynb", [], TimeoutSeconds: 8),
    ];

    public string Work { get; } = Directory.CreateTempSubdirectory("differential-").FullName;

    public Dictionary<string, (JsonObject Status, JsonObject Notebook)> Course { get; } = [];

    public Dictionary<string, (JsonObject Status, JsonObject Notebook)> Real { get; } = [];

    public string Log { get; private set; } = "";

    /// <summary>Set when the real kernel is not installed (the test then fails with the install command).</summary>
    public string? Missing { get; private set; }

    public async Task InitializeAsync()
    {
        string tool;
        try
        {
            tool = DotNetInteractive.Require();
        }
        catch (Xunit.Sdk.XunitException e)
        {
            Missing = e.Message;
            return;
        }
        var fixtures = Path.Combine(Work, "notebooks");
        CopyFolder(RunnerFixture.FixtureFolder, fixtures);
        var course = RunCourseAsync(fixtures);
        var real = RunRealAsync(tool, fixtures);
        await Task.WhenAll(course, real);
    }

    private async Task RunCourseAsync(string fixtures)
    {
        var output = Path.Combine(Work, "course");
        var groups = Cases.GroupBy(c => (string.Join(" ", c.Parameters), c.TimeoutSeconds)).ToList();
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g].ToList();
            var report = Path.Combine(Work, $"course-report-{g}.json");
            var args = new List<string>(group.Select(c => Path.Combine(fixtures, c.Fixture)))
                { "--jobs", "2", "--timeout", group[0].TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--report", report, "-o", output };
            foreach (var p in group[0].Parameters)
                args.AddRange(["-p", p]);
            var (_, log) = await RunnerFixture.RunAsync([.. args]);
            Log += log;
            foreach (var entry in JsonNode.Parse(await File.ReadAllTextAsync(report))!["notebooks"]!.AsArray())
            {
                var c = group.Single(c => c.Fixture == Path.GetFileName(entry!["path"]!.GetValue<string>()));
                Course[c.Fixture] = (entry!.AsObject(), Load(Path.Combine(output, c.ExecutedName)));
            }
        }
    }

    private async Task RunRealAsync(string tool, string fixtures)
    {
        var output = Directory.CreateDirectory(Path.Combine(Work, "real")).FullName;
        // One kernel at a time, beside the course runner's two jobs (ports cannot collide: the driver gives each kernel its own range).
        foreach (var c in Cases)
        {
            // The same document the runner executes: a .dib read as cells, the papermill cell injected as the runner does.
            var doc = NotebookFile.Load(Path.Combine(fixtures, c.Fixture));
            Parameters.Inject(doc, [.. c.Parameters.Select(p => p.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p[1]))]);
            var input = Path.Combine(fixtures, Path.GetFileNameWithoutExtension(c.Fixture) + ".dotnet-interactive.ipynb");
            await File.WriteAllTextAsync(input, IpynbFormat.Write(doc));
            var executed = Path.Combine(output, c.ExecutedName);
            var status = Path.Combine(output, c.Fixture + ".report.json");
            var (code, log) = await Task.Run(() => DotNetInteractive.Execute(tool, input, executed, status, c.TimeoutSeconds,
                TimeSpan.FromSeconds(c.TimeoutSeconds + 240)));
            Log += $"[{c.Fixture} in .NET Interactive: exit {code}]\n{log}\n";
            if (File.Exists(status) && File.Exists(executed))
                Real[c.Fixture] = (JsonNode.Parse(await File.ReadAllTextAsync(status))!.AsObject(), Load(executed));
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Work, recursive: true);
        return Task.CompletedTask;
    }

    private static JsonObject Load(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from))
            CopyFolder(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
