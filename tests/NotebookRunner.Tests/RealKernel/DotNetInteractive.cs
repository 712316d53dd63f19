using System.Globalization;
using NotebookKernel.Tests;

namespace NotebookRunner.Tests.RealKernel;

/// <summary>
/// Microsoft's .NET Interactive (the <c>dotnet-interactive</c> global tool) and the one nbclient driver that runs a
/// notebook in it, <c>tests/realkernel/run_notebook.py</c>, shared by the chapter test and the differential suite.
/// The driver starts each kernel from a private kernel spec with a random HTTP port range, so kernels started
/// concurrently by the two suites never race for the same port.
/// </summary>
internal static class DotNetInteractive
{
    /// <summary>The pinned tool version (the last one published, Microsoft.DotNet.Interactive 1.0.0-beta.26120.1 inside).</summary>
    public const string Version = "1.0.712001";

    /// <summary>What a machine needs to run notebooks in the real kernel.</summary>
    public const string InstallCommand =
        "dotnet tool install -g Microsoft.dotnet-interactive --version " + Version +
        " && apt-get install -y python3-nbclient python3-nbformat python3-jupyter-client" +
        "\n(.ci/run does this; see README \"Working in Polyglot Notebooks / .NET Interactive\")";

    /// <summary>The driver script in the repository.</summary>
    public static string Driver => Path.Combine(Site.SiteFixture.RepositoryRoot, "tests", "realkernel", "run_notebook.py");

    /// <summary>The tool's path: on PATH, else where <c>dotnet tool install -g</c> puts it.</summary>
    public static string? Tool()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "dotnet-interactive")).FirstOrDefault(File.Exists);
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-interactive");
        return onPath ?? (File.Exists(home) ? home : null);
    }

    /// <summary>Fails (never skips) with the install command unless the pinned tool and Debian's nbclient are present; returns the tool's path.</summary>
    public static string Require()
    {
        var tool = Tool();
        Assert.True(tool is not null, $"Microsoft's .NET Interactive {Version} is required:\n    {InstallCommand}");
        var version = ChildProcess.Run(tool!, ["--version"], TimeSpan.FromMinutes(1));
        Assert.True(version.Output.StartsWith(Version, StringComparison.Ordinal),
            $"dotnet-interactive {Version} is required (found: {version.Output.Trim()}):\n    dotnet tool update -g Microsoft.dotnet-interactive --version {Version}");
        var probe = ChildProcess.Run("/usr/bin/python3", ["-c", "import nbclient, nbformat, jupyter_client"], TimeSpan.FromMinutes(1));
        Assert.True(probe.Code == 0, $"Debian's nbclient is required to drive .NET Interactive:\n    {InstallCommand}\n{probe.Output}");
        return tool!;
    }

    /// <summary>Executes a notebook in the real kernel (a fresh kernel, from the driver's private kernel spec).</summary>
    /// <param name="tool">The <c>dotnet-interactive</c> executable (<see cref="Require"/>).</param>
    /// <param name="notebook">The notebook (never written).</param>
    /// <param name="output">Where the executed copy is written.</param>
    /// <param name="report">Where the driver writes its JSON report (status, failedCell, error, metrics, stderr, display updates).</param>
    /// <param name="timeoutSeconds">Per-cell timeout (the first cell gets at least 120 s).</param>
    /// <param name="limit">Wall-clock limit for the whole run (the driver's process tree is killed after it).</param>
    /// <param name="parameters">Papermill-style parameters (<c>name=value</c>), injected after the cell tagged <c>parameters</c>.</param>
    public static (int Code, string Output) Execute(string tool, string notebook, string output, string report, int timeoutSeconds,
        TimeSpan limit, params string[] parameters)
    {
        var args = new List<string> { Driver, notebook, "--output", output, "--report", report,
            "--timeout", timeoutSeconds.ToString(CultureInfo.InvariantCulture), "--tool", tool };
        foreach (var p in parameters)
            args.AddRange(["-p", p]);
        return ChildProcess.Run("/usr/bin/python3", args, limit, workingDirectory: Path.GetDirectoryName(notebook));
    }
}
