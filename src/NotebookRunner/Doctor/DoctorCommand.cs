namespace NotebookRunner.Doctor;

/// <summary>
/// <c>NotebookRunner doctor</c>: checks what the course needs on this machine (.NET SDK, TorchSharp's native
/// library and the libstdc++ compatibility fix, CUDA and the backend package, the dataset cache, free disk),
/// prints PASS/WARN/FAIL per check with the fix for each problem, and exits non-zero when a check fails.
/// </summary>
public static class DoctorCommand
{
    /// <summary>Runs the doctor, writing to standard output.</summary>
    /// <param name="args">Arguments after <c>doctor</c>.</param>
    /// <returns>0 when no check failed, 1 when one did, 2 for bad arguments.</returns>
    public static int Run(string[] args) => Run(args, Console.Out);

    /// <summary>Runs the doctor, writing to <paramref name="output"/>.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length > 0)
        {
            var help = args[0] is "-h" or "--help";
            output.WriteLine("usage: NotebookRunner doctor");
            output.WriteLine("  Checks the .NET SDK, TorchSharp's native library (applying the libstdc++ compatibility fix),");
            output.WriteLine("  CUDA and the backend package, the dataset cache and free disk. Exit code 1 if a check fails.");
            output.WriteLine("  See environment/README.md.");
            return help ? 0 : 2;
        }

        output.WriteLine("Deep-learning course doctor (see environment/README.md)");
        var repoRoot = FindRepoRoot();
        var checks = new List<DoctorCheck> { DoctorChecks.DotNetSdk(repoRoot) };
        var (compat, load) = DoctorChecks.TorchSharpNativeLoad();
        checks.Add(compat);
        checks.Add(load);
        checks.Add(DoctorChecks.SystemLibTorchShadowing());
        checks.Add(DoctorChecks.Cuda(torchLoaded: load.Outcome == Outcome.Pass));
        checks.Add(DoctorChecks.DatasetCache());
        checks.Add(DoctorChecks.FreeDisk(repoRoot));

        foreach (var check in checks) check.WriteTo(output);
        var failed = checks.Count(c => c.Outcome == Outcome.Fail);
        var warned = checks.Count(c => c.Outcome == Outcome.Warn);
        output.WriteLine(failed > 0
            ? $"{failed} check(s) failed, {warned} warning(s): apply the fixes above, then run doctor again."
            : $"All checks passed ({warned} warning(s)).");
        return failed > 0 ? 1 : 0;
    }

    /// <summary>The repository root (the folder with global.json and the solution), from the working directory or the program's folder.</summary>
    internal static string? FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "global.json"))
                    && File.Exists(Path.Combine(dir.FullName, "DeepLearningCourse.slnx")))
                    return dir.FullName;
            }
        }
        return null;
    }
}
