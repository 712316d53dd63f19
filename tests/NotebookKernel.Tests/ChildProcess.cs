using System.Diagnostics;

namespace NotebookKernel.Tests;

/// <summary>
/// Runs a program to its end and returns its exit code with stdout and stderr, for tests that drive real processes
/// (Jupyter clients, the runner, Microsoft's .NET Interactive). Linked into the runner's test project too.
/// </summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> (each one argument, no shell quoting); kills the whole
    /// process tree after <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/>: no limit).
    /// </summary>
    /// <returns>The exit code (-1: the program was not found, -2: timed out) and stdout followed by stderr.</returns>
    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout,
        IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        Process p;
        try
        {
            p = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file} not found: {e.Message}");
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(timeout);
            try
            {
                await p.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                return (-2, $"timed out after {timeout}\n{await stdout}{await stderr}");
            }
            return (p.ExitCode, await stdout + await stderr);
        }
    }

    /// <summary>The same as <see cref="RunAsync"/>, waiting on the calling thread.</summary>
    public static (int Code, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout,
        IDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        RunAsync(file, args, timeout, environment, workingDirectory).GetAwaiter().GetResult();
}
