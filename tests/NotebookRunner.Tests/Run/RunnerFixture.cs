using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NotebookKernel.Tests;

namespace NotebookRunner.Tests.Run;

/// <summary>
/// Runs the real runner (a child `dotnet NotebookRunner.dll run ...`, which itself starts one process
/// per notebook) over the fixture notebooks once, and keeps the report and executed copies for the
/// tests to inspect.
/// </summary>
public sealed class RunnerFixture : IAsyncLifetime
{
    public static readonly string FixtureFolder = FindFixtures();

    /// <summary>Fixtures run in the main run (timeout and parameters get their own runs).</summary>
    public static readonly string[] MainFixtures =
    [
        "outputs.ipynb", "compile-error.ipynb", "runtime-error.ipynb", "native-crash.ipynb", "fail-fast.ipynb",
        "missing-package.ipynb", "unsupported-kernel.ipynb", "directives.ipynb", "polyglot.dib", "torch.ipynb",
    ];

    public string Work { get; } = Directory.CreateTempSubdirectory("nbrunner-tests").FullName;

    public string Executed => Path.Combine(Work, "executed");

    public JsonObject Report { get; private set; } = [];

    public int ExitCode { get; private set; }

    public string Log { get; private set; } = "";

    public Dictionary<string, string> SourceHashes { get; } = [];

    public async Task InitializeAsync()
    {
        foreach (var f in Directory.GetFiles(FixtureFolder))
            SourceHashes[f] = Hash(f);
        var main = RunAsync([.. MainFixtures.Select(f => Path.Combine(FixtureFolder, f)), "--jobs", "2", "--timeout", "120", "--report", Path.Combine(Work, "report.json"), "-o", Executed]);
        var timeout = RunAsync([Path.Combine(FixtureFolder, "timeout.ipynb"), "--timeout", "8", "--report", Path.Combine(Work, "report-2.json"), "-o", Executed]);
        var (code, log) = await main;
        var (_, log2) = await timeout;
        ExitCode = code;
        Log = log + log2;
        Report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Work, "report.json")))!.AsObject();
        var second = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Work, "report-2.json")))!["notebooks"]!.AsArray();
        foreach (var n in second)
            Report["notebooks"]!.AsArray().Add(n!.DeepClone());
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Work, recursive: true);
        return Task.CompletedTask;
    }

    public JsonObject Entry(string file) =>
        Report["notebooks"]!.AsArray().Single(n => Path.GetFileName(n!["path"]!.GetValue<string>()) == file)!.AsObject();

    public JsonObject ExecutedNotebook(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Executed, file)))!.AsObject();

    public static Task<(int Code, string Output)> RunAsync(string[] args) =>
        ChildProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll"), "run", .. args], Timeout.InfiniteTimeSpan);

    public static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static string FindFixtures()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "notebooks");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException("tests/fixtures/notebooks not found above " + AppContext.BaseDirectory);
    }
}
