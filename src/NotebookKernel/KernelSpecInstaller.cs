using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookKernel;

/// <summary>Where a kernel spec goes: the user's Jupyter data folder, a prefix, or the Python environment's prefix.</summary>
public enum KernelSpecScope
{
    User,
    Prefix,
    SysPrefix,
}

/// <summary>The outcome of an install: what was written where, or why nothing was.</summary>
public sealed record KernelSpecInstallResult(bool Installed, string Directory, string Message);

/// <summary>
/// Writes this kernel's spec (from the templates in <c>kernels/csharp/</c>, embedded at build time) so
/// that notebooks declaring kernelspec <c>.net-csharp</c> open with it. An existing spec of another
/// kernel (.NET Interactive's) is never replaced without <c>force</c>.
/// </summary>
public static class KernelSpecInstaller
{
    /// <summary>The kernelspec name Polyglot/.NET Interactive notebooks (and the course's chapters) declare.</summary>
    public const string DefaultName = ".net-csharp";

    /// <summary>Marks a spec written by this installer (in the spec's <c>metadata.implementation</c>).</summary>
    public const string Implementation = "deeplearning-course-csharp";

    /// <summary>The kernels folder for <paramref name="scope"/> (<c>…/share/jupyter/kernels</c> or the user's Jupyter data folder).</summary>
    public static string KernelsDirectory(KernelSpecScope scope, string? prefix = null) => scope switch
    {
        KernelSpecScope.Prefix => Path.Combine(Path.GetFullPath(prefix ?? throw new ArgumentNullException(nameof(prefix))), "share", "jupyter", "kernels"),
        KernelSpecScope.SysPrefix => Path.Combine(SysPrefix(), "share", "jupyter", "kernels"),
        _ => Path.Combine(UserDataDirectory(), "kernels"),
    };

    /// <summary>The user's Jupyter data folder, as jupyter_core computes it.</summary>
    public static string UserDataDirectory()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } explicitDir)
            return explicitDir;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS())
            return Path.Combine(home, "Library", "Jupyter");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(home, ".local", "share"), "jupyter");
    }

    /// <summary>The active Python environment's prefix: <c>$VIRTUAL_ENV</c>, <c>$CONDA_PREFIX</c>, else <c>python3 -c "import sys; print(sys.prefix)"</c>.</summary>
    public static string SysPrefix()
    {
        foreach (var variable in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
                return value;
        }
        try
        {
            using var python = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "python" : "python3", ["-c", "import sys; print(sys.prefix)"])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var prefix = python.StandardOutput.ReadToEnd().Trim();
            python.WaitForExit();
            if (python.ExitCode == 0 && prefix.Length > 0)
                return prefix;
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        throw new InvalidOperationException("--sys-prefix: no Python environment found (no VIRTUAL_ENV, CONDA_PREFIX or python3 on PATH); use --prefix or --user");
    }

    /// <summary>Installs the spec named <paramref name="name"/> into <paramref name="kernelsDirectory"/>, launching <paramref name="runnerDll"/>.</summary>
    public static KernelSpecInstallResult Install(string kernelsDirectory, string runnerDll, string name = DefaultName, bool force = false)
    {
        var target = Path.Combine(kernelsDirectory, name);
        var specFile = Path.Combine(target, "kernel.json");
        var verb = "installed";
        if (File.Exists(specFile))
        {
            var existing = Describe(specFile);
            if (existing is not null && !force)
            {
                return new KernelSpecInstallResult(false, target,
                    $"""
                    A kernel spec named '{name}' already exists in {target}: {existing}.
                    Left it unchanged. Either replace it with this kernel:
                        dotnet run --project src/NotebookRunner -c Release -- kernel install --force{(name == DefaultName ? "" : $" --name {name}")}
                    or install this kernel beside it under another name, and pick "C# (deeplearning-course)" in the
                    frontend's kernel picker when a notebook opens with the other kernel:
                        dotnet run --project src/NotebookRunner -c Release -- kernel install --name csharp-course
                    """);
            }
            verb = existing is null ? "updated" : $"replaced ({existing})";
        }
        Directory.CreateDirectory(target);
        var spec = JsonNode.Parse(Resource("kernel.json"))!.AsObject();
        var argv = spec["argv"]!.AsArray();
        for (var i = 0; i < argv.Count; i++)
        {
            if (argv[i]!.GetValue<string>() == "{runner_dll}")
                argv[i] = Path.GetFullPath(runnerDll);
        }
        spec["metadata"]!.AsObject().Remove("note");
        File.WriteAllText(specFile, spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        foreach (var logo in new[] { "logo-32x32.png", "logo-64x64.png", "logo-svg.svg" })
        {
            using var source = Assembly.GetExecutingAssembly().GetManifestResourceStream($"kernelspec/{logo}");
            if (source is null)
                continue;
            using var file = File.Create(Path.Combine(target, logo));
            source.CopyTo(file);
        }
        return new KernelSpecInstallResult(true, target,
            $"Kernel spec '{name}' {verb} in {target}\n  runs: dotnet {Path.GetFullPath(runnerDll)} kernel --connection-file {{connection_file}}\n" +
            (name == DefaultName
                ? $"  Notebooks whose kernelspec is '{name}' (the course's chapters, Polyglot notebooks) now open with this kernel in JupyterLab, Notebook and VS Code's Jupyter extension."
                : $"  Pick \"{spec["display_name"]}\" in the frontend's kernel picker to use it (notebooks declaring '{DefaultName}' look for that name)."));
    }

    /// <summary>Null when the spec at <paramref name="specFile"/> is this kernel's; otherwise what it is.</summary>
    private static string? Describe(string specFile)
    {
        try
        {
            var spec = JsonNode.Parse(File.ReadAllText(specFile))!.AsObject();
            if (spec["metadata"]?["implementation"]?.GetValue<string>() == Implementation)
                return null;
            var argv = string.Join(' ', spec["argv"]?.AsArray().Select(a => a?.GetValue<string>()) ?? []);
            // `dotnet interactive jupyter …` (the global tool's spec), or the tool's assembly / command name.
            var what = argv.Contains("interactive jupyter", StringComparison.OrdinalIgnoreCase)
                || argv.Contains("Microsoft.DotNet.Interactive", StringComparison.OrdinalIgnoreCase)
                || argv.Contains("dotnet-interactive", StringComparison.OrdinalIgnoreCase)
                ? ".NET Interactive's kernel"
                : "another kernel";
            return $"{what} (\"{spec["display_name"]?.GetValue<string>()}\", argv: {argv})";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IOException)
        {
            return $"an unreadable kernel.json ({e.Message})";
        }
    }

    private static string Resource(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"kernelspec/{file}")
            ?? throw new InvalidOperationException($"kernel spec template {file} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
