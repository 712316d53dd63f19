using System.Diagnostics;

namespace NotebookKernel.Tests;

/// <summary>Runs Debian's Python (<c>/usr/bin/python3</c>) and its Jupyter tools for the real-client tests.</summary>
internal static class Python
{
    /// <summary>The Debian packages the real-client tests need.</summary>
    public const string AptPackages = "python3-jupyter-client jupyter-nbconvert python3-nbclient python3-nbformat";

    public static string Runner => Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll");

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "scripts", name);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    /// <summary>Fails with the apt command when the Python packages are missing.</summary>
    public static void Require(params string[] modules)
    {
        var probe = Run(["-c", string.Join("; ", modules.Select(m => $"import {m}"))], TimeSpan.FromMinutes(1));
        Assert.True(probe.Code == 0,
            $"Debian's Jupyter Python packages are required for this test (missing: {string.Join(", ", modules)}):\n" +
            $"    apt-get update && apt-get install -y {AptPackages}\n{probe.Output}");
    }

    public static (int Code, string Output) Run(IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        Process("/usr/bin/python3", args, timeout, environment, workingDirectory);

    public static (int Code, string Output) Process(string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        System.Diagnostics.Process p;
        try
        {
            p = System.Diagnostics.Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file} not found: {e.Message}");
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                return (-2, $"timed out after {timeout}\n{stdout.Result}{stderr.Result}");
            }
            return (p.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
