using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json.Nodes;
using Markdig;
using Microsoft.AspNetCore.Html;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.Hosting;
using NotebookEngine.Documents;
using NotebookEngine.Packages;

namespace NotebookEngine.Execution;

/// <summary>The outcome of one cell.</summary>
/// <param name="Succeeded">False when the cell produced an error output.</param>
/// <param name="Outputs">nbformat outputs, in order (display outputs still carry <c>transient</c>).</param>
/// <param name="ExecutionCount">The execution count given to this cell.</param>
/// <param name="ErrorName">The error's name (exception type, <c>CompilationError</c>, ...), when it failed.</param>
/// <param name="ErrorValue">The error's message, when it failed.</param>
/// <param name="Duration">Wall time of the cell.</param>
public sealed record CellResult(bool Succeeded, List<JsonObject> Outputs, int ExecutionCount, string? ErrorName, string? ErrorValue, TimeSpan Duration);

/// <summary>
/// A C# session with state carried from cell to cell (Roslyn scripting), the display API of
/// Polyglot's C# kernel, directives (<c>#r</c>, <c>#i</c>, <c>#load</c>, <c>#!import</c>, <c>#!time</c>)
/// and Markdown cells. Cells run one at a time.
/// </summary>
public sealed class KernelSession
{
    /// <summary>Namespaces and the static class every cell sees, as in Polyglot's C# kernel.</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
        "Microsoft.DotNet.Interactive", "Microsoft.DotNet.Interactive.Formatting", "Microsoft.DotNet.Interactive.Kernel",
    ];

    private static readonly Lazy<IReadOnlyList<MetadataReference>> s_baseReferences = new(BaseReferences);
    private static readonly MarkdownPipeline s_markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
    private static readonly Dictionary<string, string> s_nativeByName = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<string, string> s_managedByName = new(StringComparer.OrdinalIgnoreCase);
    private static int s_resolversInstalled;

    private readonly PackageRestorer _restorer;
    private readonly Dictionary<string, string?> _requestedPackages = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _resolvedPackages = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _sources = [];
    private readonly HashSet<string> _referencedPaths = new(StringComparer.Ordinal);
    private ScriptOptions _options;
    private ScriptState<object>? _state;
    private int _executionCount;
    private int _submission;
    private volatile CellOutputs? _running;

    /// <summary>Creates a session; relative paths in directives resolve against <paramref name="workingDirectory"/> (default: the current directory).</summary>
    public KernelSession(string? workingDirectory = null, PackageRestorer? restorer = null)
    {
        WorkingDirectory = Path.GetFullPath(workingDirectory ?? Directory.GetCurrentDirectory());
        _restorer = restorer ?? new PackageRestorer();
        _options = ScriptOptions.Default
            .WithReferences(s_baseReferences.Value)
            .WithImports(DefaultImports)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithAllowUnsafe(true)
            .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview);
        ConsoleCapture.Install();
        InstallResolvers();
    }

    /// <summary>The folder relative paths resolve against.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Raised for every output added or changed while a cell runs (for live frontends).</summary>
    public event Action<OutputEvent>? OutputChanged;

    /// <summary>The outputs so far of the cell that is running now (empty when none is).</summary>
    public List<JsonObject> RunningOutputs => _running?.Snapshot() ?? [];

    /// <summary>Packages resolved in this session (name to version).</summary>
    public IReadOnlyDictionary<string, string> ResolvedPackages => _resolvedPackages;

    /// <summary>Time the last NuGet restore took, and whether it came from the cache.</summary>
    public (TimeSpan Elapsed, bool FromCache)? LastRestore { get; private set; }

    /// <summary>Runs one cell in <paramref name="kernelName"/> (null: C#, or the cell's own <c>#!kernel</c> line).</summary>
    public async Task<CellResult> ExecuteAsync(string source, string? kernelName = null, CancellationToken cancellationToken = default)
    {
        var count = ++_executionCount;
        var outputs = new CellOutputs();
        outputs.Changed += e => OutputChanged?.Invoke(e);
        _running = outputs;
        var clock = Stopwatch.StartNew();
        using var console = ConsoleCapture.Capture(outputs);
        using var display = KernelHost.Use(outputs);
        try
        {
            await RunCellAsync(source, kernelName, $"cell{count}", outputs, count, cancellationToken);
            return new CellResult(true, outputs.Snapshot(), count, null, null, clock.Elapsed);
        }
        catch (CellFailure failure)
        {
            outputs.Add(ErrorOutput(failure.ErrorName, failure.Message, failure.Traceback));
            return new CellResult(false, outputs.Snapshot(), count, failure.ErrorName, failure.Message, clock.Elapsed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            outputs.Add(ErrorOutput(e.GetType().FullName ?? "Exception", e.Message, [e.ToString()]));
            return new CellResult(false, outputs.Snapshot(), count, e.GetType().FullName, e.Message, clock.Elapsed);
        }
    }

    /// <summary>
    /// The compilation <paramref name="code"/> would get as the next cell (session state included),
    /// without running it: for completion and inspection in a frontend. Directives are not processed.
    /// </summary>
    public Compilation GetCompilation(string code)
    {
        var options = _options.WithFilePath("completion");
        var state = _state;
        return (state is null ? CSharpScript.Create(code, options) : state.Script.ContinueWith(code, options)).GetCompilation();
    }

    /// <summary>Compiles and runs an empty submission, so the first real cell does not pay for Roslyn's start-up.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken = default) =>
        RunCodeAsync("0", "warmup", new CellOutputs(), 0, showResult: false, cancellationToken);

    /// <summary>An nbformat error output.</summary>
    public static JsonObject ErrorOutput(string name, string value, IEnumerable<string> traceback) => new()
    {
        ["output_type"] = "error",
        ["ename"] = name,
        ["evalue"] = value,
        ["traceback"] = new JsonArray([.. traceback.Select(t => (JsonNode)t)]),
    };

    private async Task RunCellAsync(string source, string? kernelName, string label, CellOutputs outputs, int count, CancellationToken cancellationToken)
    {
        var kernel = Normalize(kernelName ?? "csharp");
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first >= 0 && lines[first].Trim() is var head && head.StartsWith("#!", StringComparison.Ordinal)
            && Directives.KernelNames.Contains(head[2..]))
        {
            kernel = Normalize(head[2..]);
            lines[first] = "";
        }
        var body = string.Join('\n', lines);
        if (kernel == "markdown")
        {
            var html = Markdown.ToHtml(body.Trim('\n'), s_markdown);
            outputs.Add(new JsonObject
            {
                ["output_type"] = "display_data",
                ["data"] = new JsonObject { ["text/html"] = html, ["text/plain"] = body.Trim('\n') },
                ["metadata"] = new JsonObject(),
            });
            return;
        }
        if (kernel != "csharp")
            throw new CellFailure("UnsupportedKernel", $"kernel '{kernel}' is not supported by this engine (it runs C# cells: csharp, c#; and markdown)");

        var (directives, code) = Directives.Parse(body);
        var timed = false;
        foreach (var d in directives)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (d.Kind)
            {
                case "kernel" when Normalize(d.Argument) == "csharp":
                    break;
                case "kernel":
                    throw new CellFailure("UnsupportedKernel", $"kernel '{Normalize(d.Argument)}' is not supported by this engine (line {d.Line}: a cell can switch only to C#)");
                case "magic":
                    throw new CellFailure("UnsupportedMagicCommand", $"magic command '#!{d.Argument}' is not supported by this engine (line {d.Line})");
                case "time":
                    timed = true;
                    break;
                case "i":
                    AddSource(d.Argument);
                    break;
                case "r":
                    await ReferenceAsync(d, outputs, cancellationToken);
                    break;
                case "load":
                    await RunFileAsync(ResolvePath(d.Argument), outputs, count, cancellationToken);
                    break;
                case "import":
                    await ImportAsync(ResolvePath(d.Argument), outputs, count, cancellationToken);
                    break;
            }
        }

        var clock = Stopwatch.StartNew();
        await RunCodeAsync(code, label, outputs, count, showResult: true, cancellationToken);
        if (timed)
            outputs.WriteStream("stdout", $"Wall time: {clock.Elapsed.TotalMilliseconds:0.###}ms\n");
    }

    private static string Normalize(string kernel) => kernel.ToLowerInvariant() switch
    {
        "c#" or "csharp" or "c_sharp" => "csharp",
        "f#" or "fsharp" => "fsharp",
        "md" or "markdown" => "markdown",
        "powershell" or "pwsh" => "pwsh",
        "js" or "javascript" => "javascript",
        var other => other,
    };

    private string ResolvePath(string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(WorkingDirectory, path));

    private void AddSource(string argument)
    {
        var source = argument.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) ? argument["nuget:".Length..].Trim() : argument.Trim();
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.IsFile)
            source = ResolvePath(source);
        if (!_sources.Contains(source))
            _sources.Add(source);
    }

    private async Task ReferenceAsync(Directive d, CellOutputs outputs, CancellationToken cancellationToken)
    {
        if (Directives.TryParseNuGet(d.Argument, out var name, out var version))
        {
            await AddPackageAsync(name, version, outputs, cancellationToken);
            return;
        }
        var path = ResolvePath(d.Argument);
        if (!File.Exists(path))
            throw new CellFailure("ReferenceNotFound", $"#r: file not found: {path} (line {d.Line})");
        AddReferences([path]);
    }

    private async Task AddPackageAsync(string name, string? version, CellOutputs outputs, CancellationToken cancellationToken)
    {
        if (_requestedPackages.TryGetValue(name, out var existing) || _resolvedPackages.ContainsKey(name))
        {
            var loaded = _resolvedPackages.GetValueOrDefault(name) ?? existing;
            if (version is null || string.Equals(version, existing, StringComparison.OrdinalIgnoreCase)
                || string.Equals(version, loaded, StringComparison.OrdinalIgnoreCase))
                return;
            throw new CellFailure("PackageVersionConflict",
                $"package {name} {version} cannot be added: version {loaded} is already loaded in this session (one version per package per session; restart to change it)");
        }
        _requestedPackages[name] = version;
        var requests = _requestedPackages.Select(p => new PackageRequest(p.Key, p.Value)).ToList();
        RestoreResult result;
        try
        {
            result = await _restorer.RestoreAsync(requests, _sources, cancellationToken);
        }
        catch (PackageRestoreException e)
        {
            _requestedPackages.Remove(name);
            throw new CellFailure("NuGetRestoreError", e.Message);
        }
        LastRestore = (result.Elapsed, result.FromCache);
        foreach (var (package, resolved) in result.ResolvedVersions)
            _resolvedPackages[package] = resolved;
        RegisterNatives(result.NativeLibraries);
        AddReferences(result.Assemblies);
        var shown = _resolvedPackages.GetValueOrDefault(name, version ?? "?");
        outputs.Add(new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = new JsonObject
            {
                ["text/html"] = $"<div><div></div><div></div><div><strong>Installed Packages</strong><ul><li><span>{name}, {shown}</span></li></ul></div></div>",
                ["text/plain"] = $"Installed package {name} version {shown}",
            },
            ["metadata"] = new JsonObject(),
        });
    }

    private static void RegisterNatives(IEnumerable<string> natives)
    {
        foreach (var path in natives)
        {
            lock (s_nativeByName)
            {
                if (s_nativeByName.ContainsValue(path))
                    continue;
            }
            NativeAssetHooks.Invoke(path);
            var file = Path.GetFileName(path);
            var stem = file;
            foreach (var ext in new[] { ".so", ".dylib", ".dll" })
            {
                var i = stem.IndexOf(ext, StringComparison.OrdinalIgnoreCase);
                if (i > 0)
                    stem = stem[..i];
            }
            lock (s_nativeByName)
            {
                s_nativeByName[file] = path;
                s_nativeByName[stem] = path;
                if (stem.StartsWith("lib", StringComparison.Ordinal))
                    s_nativeByName[stem[3..]] = path;
            }
        }
    }

    private void AddReferences(IEnumerable<string> paths)
    {
        var added = new List<MetadataReference>();
        foreach (var path in paths)
        {
            if (!_referencedPaths.Add(path))
                continue;
            lock (s_managedByName)
                s_managedByName.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            added.Add(MetadataReference.CreateFromFile(path));
        }
        if (added.Count > 0)
            _options = _options.AddReferences(added);
    }

    private static void InstallResolvers()
    {
        if (Interlocked.Exchange(ref s_resolversInstalled, 1) == 1)
            return;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            string? path;
            lock (s_managedByName)
                s_managedByName.TryGetValue(name.Name ?? "", out path);
            return path is null ? null : context.LoadFromAssemblyPath(path);
        };
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) => LoadNative(name);
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
        {
            // Assemblies loaded outside the default context do not raise its ResolvingUnmanagedDll.
            var context = AssemblyLoadContext.GetLoadContext(e.LoadedAssembly);
            if (context is null || context == AssemblyLoadContext.Default || e.LoadedAssembly.IsDynamic)
                return;
            context.ResolvingUnmanagedDll += (_, name) => LoadNative(name);
        };
    }

    private static IntPtr LoadNative(string name)
    {
        string? path;
        lock (s_nativeByName)
        {
            if (!s_nativeByName.TryGetValue(name, out path))
                s_nativeByName.TryGetValue(Path.GetFileName(name), out path);
        }
        return path is not null && NativeLibrary.TryLoad(path, out var handle) ? handle : IntPtr.Zero;
    }

    private async Task RunFileAsync(string path, CellOutputs outputs, int count, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new CellFailure("FileNotFound", $"file not found: {path}");
        var (directives, code) = Directives.Parse(await File.ReadAllTextAsync(path, cancellationToken));
        foreach (var d in directives.Where(d => d.Kind is "r" or "i" or "load"))
        {
            if (d.Kind == "i")
                AddSource(d.Argument);
            else if (d.Kind == "load")
                await RunFileAsync(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, d.Argument)), outputs, count, cancellationToken);
            else
                await ReferenceAsync(d, outputs, cancellationToken);
        }
        await RunCodeAsync(code, path, outputs, count, showResult: false, cancellationToken);
    }

    private async Task ImportAsync(string path, CellOutputs outputs, int count, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new CellFailure("FileNotFound", $"#!import: file not found: {path}");
        if (!NotebookFile.IsNotebook(path))
        {
            await RunFileAsync(path, outputs, count, cancellationToken);
            return;
        }
        var doc = NotebookFile.Load(path);
        var index = 0;
        foreach (var cell in doc.Cells)
        {
            index++;
            if (!cell.IsCode)
                continue;
            await RunCellAsync(cell.Source, cell.KernelName ?? doc.DefaultKernelName, $"{path}[{index}]", outputs, count, cancellationToken);
        }
    }

    private async Task RunCodeAsync(string code, string label, CellOutputs outputs, int count, bool showResult, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code))
            return;
        var options = _options.WithFilePath(label);
        var script = _state is null ? CSharpScript.Create(code, options) : _state.Script.ContinueWith(code, options);
        var errors = script.Compile(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0 && NeedsMoreReferences(errors))
        {
            // Retry against the whole shared framework, and keep it for the rest of the session.
            _fullFramework = true;
            var present = _options.MetadataReferences.OfType<PortableExecutableReference>().Select(r => r.FilePath).ToHashSet();
            _options = _options.AddReferences(s_allFramework.Value.OfType<PortableExecutableReference>().Where(r => !present.Contains(r.FilePath)));
            options = _options.WithFilePath(label);
            script = _state is null ? CSharpScript.Create(code, options) : _state.Script.ContinueWith(code, options);
            errors = [.. script.Compile(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error)];
        }
        if (errors.Count > 0)
        {
            var listed = errors.Select(FormatDiagnostic).ToList();
            throw new CellFailure("CompilationError", string.Join("\n", listed), listed);
        }
        var hasValue = HasResultValue(script.GetCompilation());
        _submission++;
        var state = _state is null
            ? await script.RunAsync(globals: null, catchException: _ => true, cancellationToken)
            : await script.RunFromAsync(_state, catchException: _ => true, cancellationToken);
        // An interrupted cell (a frontend's interrupt) does not commit its state, even when it ends later.
        cancellationToken.ThrowIfCancellationRequested();
        _state = state;
        if (state.Exception is { } exception)
            throw RuntimeFailure(exception, label);
        if (showResult && hasValue)
        {
            outputs.Add(new JsonObject
            {
                ["output_type"] = "execute_result",
                ["data"] = MimeBundle.Format(state.ReturnValue, null),
                ["metadata"] = new JsonObject(),
                ["execution_count"] = count,
            });
        }
    }

    /// <summary>True when the submission ends in an expression without a semicolon whose type is not void.</summary>
    private static bool HasResultValue(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax root
            || root.Members.LastOrDefault() is not Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax
            {
                Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement,
            })
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private static string FormatDiagnostic(Diagnostic d)
    {
        var span = d.Location.GetMappedLineSpan();
        var where = d.Location.IsInSource ? $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " : "";
        var file = d.Location.IsInSource && !span.Path.StartsWith("cell", StringComparison.Ordinal) ? Path.GetFileName(span.Path) : "";
        return $"{file}{where}error {d.Id}: {d.GetMessage()}";
    }

    private static CellFailure RuntimeFailure(Exception exception, string label)
    {
        if (exception is TargetInvocationException { InnerException: { } unwrapped })
            exception = unwrapped;
        var trace = new List<string> { $"{exception.GetType().FullName}: {exception.Message}" };
        int? cellLine = null;
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            var file = frame.GetFileName();
            var type = method?.DeclaringType;
            if (type?.Namespace?.StartsWith("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal) == true
                || type?.Namespace?.StartsWith("System.Runtime.CompilerServices", StringComparison.Ordinal) == true
                || type?.Namespace?.StartsWith("System.Runtime.ExceptionServices", StringComparison.Ordinal) == true)
                continue;
            var name = type is null ? method?.Name ?? "?" : $"{type.FullName}.{method?.Name}";
            if (name.Contains("<<Initialize>>", StringComparison.Ordinal) || name.StartsWith("Submission#", StringComparison.Ordinal))
                name = name.Contains("<<Initialize>>", StringComparison.Ordinal) ? "<cell>" : name[(name.IndexOf('.') + 1)..];
            if (file is not null && frame.GetFileLineNumber() > 0)
            {
                var where = file == label ? "line" : $"{Path.GetFileName(file)}, line";
                trace.Add($"   at {name} ({where} {frame.GetFileLineNumber()})");
                if (file == label)
                    cellLine ??= frame.GetFileLineNumber();
            }
            else
                trace.Add($"   at {name}");
        }
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            trace.Add($" ---> {inner.GetType().FullName}: {inner.Message}");
        var message = cellLine is int line ? $"{exception.Message} (cell line {line})" : exception.Message;
        return new CellFailure(exception.GetType().FullName ?? "Exception", message, trace) { Line = cellLine };
    }

    /// <summary>
    /// Framework assemblies every cell compiles against at first. Binding a submission's imports
    /// costs time in proportion to the number of references, so sessions start with these (and the
    /// System.Private.* assemblies they forward to) and switch to the whole shared framework the
    /// first time a cell fails for a missing type or assembly (see <see cref="NeedsMoreReferences"/>).
    /// </summary>
    private static readonly HashSet<string> s_commonFramework = new(StringComparer.OrdinalIgnoreCase)
    {
        "netstandard", "mscorlib", "System", "System.Runtime", "System.Runtime.Extensions", "System.Collections", "System.Collections.Concurrent",
        "System.Collections.Immutable", "System.Collections.NonGeneric", "System.Collections.Specialized", "System.Linq", "System.Linq.Expressions",
        "System.Console", "System.Text.RegularExpressions", "System.Text.Json", "System.Text.Encoding.Extensions", "System.Net.Http",
        "System.Net.Primitives", "System.IO", "System.IO.Compression", "System.IO.Compression.ZipFile", "System.IO.FileSystem", "System.Threading",
        "System.Threading.Tasks", "System.Threading.Thread", "System.Threading.Tasks.Parallel", "System.Runtime.InteropServices",
        "System.Runtime.Numerics", "System.Numerics.Vectors", "System.Memory", "System.ObjectModel", "System.ComponentModel",
        "System.ComponentModel.Primitives", "System.ComponentModel.TypeConverter", "System.Diagnostics.Process", "System.Diagnostics.Debug",
        "System.Globalization", "System.Reflection", "System.Runtime.Loader", "Microsoft.CSharp", "System.Security.Cryptography",
        "System.Xml.ReaderWriter", "System.Xml.XDocument", "System.Private.Xml.Linq", "System.Data.Common", "System.Net.Requests",
        "System.Web.HttpUtility", "System.Drawing.Primitives", "System.Runtime.Intrinsics",
    };

    private static readonly Lazy<IReadOnlyList<MetadataReference>> s_allFramework = new(() => FrameworkReferences(all: true));

    private bool _fullFramework;

    private static IReadOnlyList<MetadataReference> BaseReferences()
    {
        var engineAssemblies = new[] { typeof(Kernel).Assembly, typeof(Formatter).Assembly, typeof(IHtmlContent).Assembly }
            .Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location));
        return [.. FrameworkReferences(all: false).Concat(engineAssemblies)];
    }

    private static IReadOnlyList<MetadataReference> FrameworkReferences(bool all)
    {
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator);
        var framework = tpa.Where(p => Path.GetDirectoryName(p) == frameworkDir && p.EndsWith(".dll", StringComparison.Ordinal)).ToList();
        if (framework.Count == 0)
            framework = [.. Directory.EnumerateFiles(frameworkDir, "*.dll")];
        var chosen = framework.Where(p =>
        {
            var name = Path.GetFileNameWithoutExtension(p);
            if (name.StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal) || name.StartsWith("Microsoft.Win32", StringComparison.Ordinal) && !all)
                return false;
            return all || name.StartsWith("System.Private.", StringComparison.Ordinal) || s_commonFramework.Contains(name);
        });
        return [.. chosen.Where(IsManagedAssembly).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
            return reader.HasMetadata;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>True when a compile failed for a type or assembly the common framework subset lacks.</summary>
    private bool NeedsMoreReferences(IEnumerable<Diagnostic> errors) =>
        !_fullFramework && errors.Any(e => e.Id is "CS0012" or "CS0234" or "CS0246" or "CS1069" or "CS0400" or "CS1061");
}

/// <summary>A cell failure with the error output's name, message and traceback.</summary>
internal sealed class CellFailure(string errorName, string message, IReadOnlyList<string>? traceback = null) : Exception(message)
{
    public string ErrorName { get; } = errorName;

    public IReadOnlyList<string> Traceback { get; } = traceback ?? [message];

    public int? Line { get; init; }
}
