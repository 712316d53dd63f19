using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NotebookEngine.Tests.Hardening;
using NotebookRunner.Tests.Run;

namespace NotebookRunner.Tests.Hardening;

/// <summary>
/// One real <c>run --site</c> over a folder of every generated malformed notebook and odd file beside two good
/// notebooks: each bad one is reported failed naming it and the cause, the good ones run, report and site are written,
/// no source changes.
/// </summary>
public sealed class BadInputRunFixture : IAsyncLifetime
{
    public string Work { get; } = Directory.CreateTempSubdirectory("runner-hardening").FullName;

    public string Sources => Path.Combine(Work, "notebooks");

    public string Executed => Path.Combine(Work, "executed");

    public Dictionary<string, string> Expected { get; } = [];

    public Dictionary<string, byte[]> Hashes { get; } = [];

    public JsonObject Report { get; private set; } = [];

    public (int Code, string Log) Run { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Sources);
        foreach (var (name, content, cause) in BadNotebooks.All())
        {
            File.WriteAllBytes(Path.Combine(Sources, name), content);
            Expected[name] = cause;
        }
        const string good = """{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": "6 * 7"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""";
        File.WriteAllText(Path.Combine(Sources, "good.ipynb"), good);
        Directory.CreateDirectory(Path.Combine(Sources, "sub"));
        File.WriteAllText(Path.Combine(Sources, "sub", "good-too.dib"), "#!csharp\n\n1 + 1\n");
        // Odd files and paths.
        File.WriteAllText(Path.Combine(Sources, "same.ipynb"), good);
        File.WriteAllText(Path.Combine(Sources, "same.dib"), "#!csharp\n\n2\n");
        Expected["same.ipynb"] = Expected["same.dib"] = "would both be written to";
        Mkfifo(Path.Combine(Sources, "pipe.ipynb"));
        Expected["pipe.ipynb"] = "named pipe";
        File.CreateSymbolicLink(Path.Combine(Sources, "dangling.ipynb"), Path.Combine(Work, "nowhere.ipynb"));
        Expected["dangling.ipynb"] = "which does not exist";
        File.CreateSymbolicLink(Path.Combine(Sources, "loop-a.ipynb"), Path.Combine(Sources, "loop-b.ipynb"));
        File.CreateSymbolicLink(Path.Combine(Sources, "loop-b.ipynb"), Path.Combine(Sources, "loop-a.ipynb"));
        Expected["loop-a.ipynb"] = Expected["loop-b.ipynb"] = "symbolic link loop";
        Directory.CreateSymbolicLink(Path.Combine(Sources, "sub", "back"), Sources);
        File.CreateSymbolicLink(Path.Combine(Sources, "device.ipynb"), "/dev/zero");
        Expected["device.ipynb"] = "device";
        foreach (var f in Directory.EnumerateFiles(Sources, "*", SearchOption.TopDirectoryOnly).Where(f => new FileInfo(f).LinkTarget is null && !f.EndsWith("pipe.ipynb", StringComparison.Ordinal)))
            Hashes[f] = SHA256.HashData(File.ReadAllBytes(f));

        Run = await RunnerFixture.RunAsync([Sources, "-o", Executed, "--report", Path.Combine(Work, "report.json"), "--site", Path.Combine(Work, "site"), "--jobs", "2"]);
        Report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Work, "report.json")))!.AsObject();
    }

    public static void Mkfifo(string path)
    {
        using var p = Process.Start("mkfifo", [path]);
        p.WaitForExit();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Work, recursive: true);
        return Task.CompletedTask;
    }
}

public class BadInputRunTests(BadInputRunFixture run) : IClassFixture<BadInputRunFixture>
{
    private JsonObject Entry(string relative) =>
        run.Report["notebooks"]!.AsArray().Single(n => n!["path"]!.GetValue<string>() == Path.Combine(run.Sources, relative))!.AsObject();

    [Fact]
    public void Every_bad_input_is_reported_failed_naming_the_notebook_and_the_cause()
    {
        Assert.True(run.Expected.Count >= 110, $"{run.Expected.Count} bad inputs");
        var missing = new List<string>();
        foreach (var (name, cause) in run.Expected)
        {
            var entry = Entry(name);
            var error = entry["error"]?.GetValue<string>() ?? "";
            if (entry["status"]!.GetValue<string>() != "failed" || !error.Contains(Path.Combine(run.Sources, name)) || !error.Contains(cause))
                missing.Add($"{name}: {entry.ToJsonString()}");
        }
        Assert.True(missing.Count == 0, string.Join('\n', missing) + "\n" + run.Run.Log);
    }

    [Fact]
    public void The_good_notebooks_ran_and_the_report_and_site_were_written()
    {
        Assert.Equal(1, run.Run.Code);
        Assert.Equal("passed", Entry("good.ipynb")["status"]!.GetValue<string>());
        Assert.Equal("passed", Entry(Path.Combine("sub", "good-too.dib"))["status"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(run.Executed, "good.ipynb")));
        Assert.True(File.Exists(Path.Combine(run.Work, "site", "index.html")), run.Run.Log);
        Assert.Equal(2, run.Report["passed"]!.GetValue<int>());
    }

    [Fact]
    public void A_symbolic_link_loop_between_folders_is_followed_once()
    {
        var paths = run.Report["notebooks"]!.AsArray().Select(n => n!["path"]!.GetValue<string>()).ToList();

        Assert.Equal(paths.Count, paths.Distinct().Count());
        Assert.DoesNotContain(paths, p => p.Contains(Path.Combine("sub", "back"), StringComparison.Ordinal));
    }

    [Fact]
    public void No_source_changed_and_no_executed_copy_was_written_for_a_notebook_that_did_not_run()
    {
        foreach (var (file, hash) in run.Hashes)
            Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(file)));
        Assert.Equal(["good.ipynb", Path.Combine("sub", "good-too.ipynb")],
            Directory.GetFiles(run.Executed, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(run.Executed, f)).Order());
    }
}
