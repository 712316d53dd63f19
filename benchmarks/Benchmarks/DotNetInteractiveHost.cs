using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DeepLearning.Course.Platform;

namespace Benchmarks;

/// <summary>
/// Microsoft's .NET Interactive as a chapter host of the benchmark: each notebook runs in a fresh kernel through the
/// one real-kernel driver, <c>tests/realkernel/run_notebook.py</c> (nbclient, papermill-style parameters, a private
/// kernel spec with the tool's argv and its own HTTP port range, <c>--env</c> variables), as the real-kernel chapter
/// test runs it. Two hosts: <see cref="AsRegistered"/>, the kernel as <c>dotnet interactive jupyter install</c>
/// registers it (the registered <c>.net-csharp</c> spec's <c>env</c>, if it has one), and <see cref="WithArenaMax"/>,
/// the same with <c>MALLOC_ARENA_MAX=1</c>, the setting the README tells Polyglot users to add to <c>kernel.json</c>.
/// </summary>
/// <remarks>
/// The kernel does not inherit the benchmark's own <c>MALLOC_*</c> variables (<see cref="NativeAllocator.ChildEnvironment"/>),
/// so a shell that exports them does not turn one host into the other. A missing tool or interpreter ends as an
/// error in the row (the driver's own message, with the install command), never as an exception.
/// </remarks>
internal sealed class DotNetInteractiveHost(string repoRoot, BenchOptions options)
{
    /// <summary>The kernel as its install registers it.</summary>
    public const string AsRegistered = "dotnet-interactive";

    /// <summary>The kernel with <c>MALLOC_ARENA_MAX=1</c> in its kernel spec (README: Speed in .NET Interactive).</summary>
    public const string WithArenaMax = "dotnet-interactive-arena1";

    /// <summary>The Jupyter kernel spec <c>dotnet interactive jupyter install</c> writes for C#.</summary>
    public const string KernelSpecName = ".net-csharp";

    /// <summary>The driver, relative to the repository root.</summary>
    public const string DriverPath = "tests/realkernel/run_notebook.py";

    private const string ArenaVariable = "MALLOC_ARENA_MAX";

    // Jupyter's own lookup of a registered kernel spec (the same package the driver runs on); prints null when there is none.
    private const string KernelSpecProbe =
        "import json\n" +
        "from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel\n" +
        "try:\n" +
        "    s = KernelSpecManager().get_kernel_spec('" + KernelSpecName + "')\n" +
        "    print(json.dumps({'resourceDir': s.resource_dir, 'argv': s.argv, 'env': s.env}))\n" +
        "except NoSuchKernel:\n" +
        "    print('null')\n";

    private JsonObject? registered;
    private string? tool;
    private string? toolVersion;

    /// <summary>Whether <paramref name="host"/> names one of this class's hosts.</summary>
    public static bool IsHost(string host) => host is AsRegistered or WithArenaMax;

    /// <summary>The registered <c>.net-csharp</c> kernel spec: where it is, its argv and env, and whether it sets <c>MALLOC_ARENA_MAX</c>.</summary>
    public JsonObject RegisteredKernelSpec => registered ??= ProbeKernelSpec();

    /// <summary>
    /// The variables the driver puts in the kernel's private spec: the registered spec's <c>env</c> when that spec is
    /// .NET Interactive's (the course's own kernel may be registered under the same name), then for
    /// <see cref="WithArenaMax"/> <c>MALLOC_ARENA_MAX=1</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> KernelEnvironment(string host)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (RegisteredKernelSpec["isDotnetInteractive"]?.GetValue<bool>() == true)
            foreach (var (name, value) in RegisteredKernelSpec["env"] as JsonObject ?? [])
                env[name] = value?.ToString() ?? "";
        if (host == WithArenaMax) env[ArenaVariable] = "1";
        return env;
    }

    /// <summary>Runs one notebook in a fresh kernel of <paramref name="host"/> and returns its row.</summary>
    public JsonObject Run(string host, string notebook, string relative, string mode, string tempDir)
    {
        var name = Path.GetFileNameWithoutExtension(notebook);
        var report = Path.Combine(tempDir, $"{host}-{name}-{mode}.json");
        var args = new List<string> { Path.Combine(repoRoot, DriverPath), notebook, "--output", Path.Combine(tempDir, host, $"{name}-{mode}.ipynb"),
            "--report", report, "--timeout", "900" };
        if (mode == "quick") args.AddRange(["-p", "quick=true"]);
        if (options.DotNetInteractiveTool is string path) args.AddRange(["--tool", path]);
        var env = KernelEnvironment(host);
        foreach (var (variable, value) in env) args.AddRange(["--env", $"{variable}={value}"]);

        var clock = Stopwatch.StartNew();
        int exit;
        string text;
        long peak;
        try
        {
            (exit, text, peak) = EngineBench.RunChild(options.Python, Path.GetDirectoryName(notebook)!, args, TimeSpan.FromMinutes(60), peakRss: true,
                removeEnvironment: NativeAllocator.ChildEnvironment.Keys);
        }
        catch (Win32Exception e)
        {
            (exit, text, peak) = (-1, $"cannot start {options.Python}: {e.Message}", 0);
        }
        var wall = clock.Elapsed.TotalSeconds;
        var result = File.Exists(report) ? JsonNode.Parse(File.ReadAllText(report)) as JsonObject : null;
        if (tool is null && result?["tool"]?.GetValue<string>() is string used) (tool, toolVersion) = (used, VersionOf(used));
        return new JsonObject
        {
            ["path"] = relative,
            ["mode"] = mode,
            ["host"] = host,
            ["status"] = result?["status"]?.DeepClone() ?? "driver-error",
            ["seconds"] = result?["seconds"]?.DeepClone() ?? Math.Round(wall, 3),
            ["processSeconds"] = Math.Round(wall, 3),
            ["peakRssMiB"] = ChapterBench.Mib(peak),
            ["error"] = result is null
                ? $"{EngineBench.Tail(text).TrimEnd()}\n{DriverPath} wrote no report (exit {exit}); it needs {options.Python} with Debian's python3-nbclient, python3-nbformat and python3-jupyter-client"
                : result["error"]?.DeepClone(),
            ["failedCell"] = result?["failedCell"]?.DeepClone(),
            ["metrics"] = result?["metrics"]?.DeepClone() ?? new JsonObject(),
            ["kernelEnvironment"] = new JsonObject([.. env.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))]),
            ["kernelStartFailures"] = (result?["kernelStartFailures"] as JsonArray)?.Count ?? 0,
        };
    }

    /// <summary>What the report says about the real kernel: the driver, the tool and its version, the registered kernel spec, each host's kernel variables.</summary>
    public JsonObject Describe() => new()
    {
        ["driver"] = DriverPath,
        ["python"] = options.Python,
        ["tool"] = tool ?? options.DotNetInteractiveTool,
        ["toolVersion"] = toolVersion,
        ["registeredKernelSpec"] = RegisteredKernelSpec.DeepClone(),
        ["kernelEnvironments"] = new JsonObject([.. new[] { AsRegistered, WithArenaMax }.Select(h =>
            KeyValuePair.Create(h, (JsonNode?)new JsonObject([.. KernelEnvironment(h).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))])))]),
        ["note"] = "each kernel starts from the driver's private kernel spec (the tool's argv, its own HTTP port range) with these variables; the benchmark's own MALLOC_* variables are not passed on",
    };

    private JsonObject ProbeKernelSpec()
    {
        var spec = new JsonObject { ["name"] = KernelSpecName };
        try
        {
            var (exit, text, _) = EngineBench.RunChild(options.Python, repoRoot, ["-c", KernelSpecProbe], TimeSpan.FromMinutes(1), peakRss: false);
            var found = exit == 0 ? JsonNode.Parse(text.Trim().Split('\n')[^1]) as JsonObject : null;
            if (exit != 0)
            {
                spec["error"] = $"could not read Jupyter's kernel specs with {options.Python}: {EngineBench.Tail(text)}";
                return spec;
            }
            if (found is null)
            {
                spec["error"] = $"no kernel spec named {KernelSpecName} is registered (dotnet interactive jupyter install)";
                return spec;
            }
            var argv = (found["argv"] as JsonArray ?? []).Select(a => a?.ToString() ?? "").ToList();
            var env = found["env"] as JsonObject ?? [];
            spec["resourceDir"] = found["resourceDir"]?.DeepClone();
            spec["argv"] = found["argv"]?.DeepClone();
            spec["env"] = env.DeepClone();
            spec["isDotnetInteractive"] = argv.Count > 0 && (Path.GetFileName(argv[0]) == "dotnet-interactive" || argv.Count > 1 && Path.GetFileName(argv[0]) == "dotnet" && argv[1] == "interactive");
            spec["setsMallocArenaMax"] = env.ContainsKey(ArenaVariable);
            spec["mallocArenaMax"] = env[ArenaVariable]?.DeepClone();
        }
        catch (Exception e) when (e is Win32Exception or System.Text.Json.JsonException)
        {
            spec["error"] = $"could not read Jupyter's kernel specs with {options.Python}: {e.Message}";
        }
        return spec;
    }

    private string? VersionOf(string executable)
    {
        if (!File.Exists(executable)) return null;
        try
        {
            var (exit, text, _) = EngineBench.RunChild(executable, repoRoot, ["--version"], TimeSpan.FromMinutes(1), peakRss: false);
            return exit == 0 ? text.Trim() : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    /// <summary>The table's line about the real kernel: tool, version, and whether the registered spec sets <c>MALLOC_ARENA_MAX</c>.</summary>
    public static string Line(JsonObject described)
    {
        var spec = described["registeredKernelSpec"] as JsonObject;
        var arena = spec?["error"] is JsonNode error ? error.ToString()
            : spec?["setsMallocArenaMax"]?.GetValue<bool>() == true ? $"sets {ArenaVariable}={spec["mallocArenaMax"]}"
            : $"does not set {ArenaVariable} (README: add \"env\": {{\"{ArenaVariable}\": \"1\"}} to its kernel.json; the {WithArenaMax} host measures it)";
        return string.Create(CultureInfo.InvariantCulture,
            $".NET Interactive {described["toolVersion"] ?? "(version unknown)"} ({described["tool"] ?? "tool not found"}) through {DriverPath}; the registered {KernelSpecName} kernel spec {arena}");
    }
}
