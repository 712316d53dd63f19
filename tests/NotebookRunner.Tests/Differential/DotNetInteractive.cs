using System.Diagnostics;

namespace NotebookRunner.Tests.Differential;

/// <summary>Microsoft's .NET Interactive (the <c>dotnet-interactive</c> global tool) and the nbclient driver that runs a notebook in it.</summary>
internal static class DotNetInteractive
{
    /// <summary>The pinned tool version (the last one published, Microsoft.DotNet.Interactive 1.0.0-beta.26120.1 inside).</summary>
    public const string Version = "1.0.712001";

    /// <summary>What a machine needs for the differential suite.</summary>
    public const string InstallCommand =
        "dotnet tool install -g Microsoft.dotnet-interactive --version " + Version +
        " && apt-get install -y python3-nbclient python3-nbformat python3-jupyter-client";

    /// <summary>The tool's path: on PATH, else where <c>dotnet tool install -g</c> puts it.</summary>
    public static string? Tool()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "dotnet-interactive")).FirstOrDefault(File.Exists);
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-interactive");
        return onPath ?? (File.Exists(home) ? home : null);
    }

    /// <summary>Fails with the install command unless the pinned tool and Debian's nbclient are present; returns the tool's path.</summary>
    public static string Require()
    {
        var tool = Tool();
        Assert.True(tool is not null, $"Microsoft's .NET Interactive is required for the differential suite:\n    {InstallCommand}");
        var version = Run(tool!, ["--version"], TimeSpan.FromMinutes(1));
        Assert.True(version.Output.StartsWith(Version, StringComparison.Ordinal),
            $"dotnet-interactive {Version} is required (found: {version.Output.Trim()}):\n    dotnet tool update -g Microsoft.dotnet-interactive --version {Version}");
        var probe = Run("/usr/bin/python3", ["-c", "import nbclient, nbformat, jupyter_client"], TimeSpan.FromMinutes(1));
        Assert.True(probe.Code == 0, $"Debian's nbclient is required for the differential suite:\n    {InstallCommand}\n{probe.Output}");
        return tool!;
    }

    /// <summary>Executes <paramref name="notebook"/> in the real kernel; writes the executed copy and the status JSON.</summary>
    public static (int Code, string Output) Execute(string tool, string notebook, string output, string status, int timeoutSeconds) =>
        Run("/usr/bin/python3",
            [Path.Combine(AppContext.BaseDirectory, "Differential", "run_dotnet_interactive.py"), notebook, "--output", output, "--status", status,
             "--timeout", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tool", tool],
            TimeSpan.FromSeconds(timeoutSeconds + 240), Path.GetDirectoryName(notebook));

    private static (int Code, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        using var p = Process.Start(start)!;
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
