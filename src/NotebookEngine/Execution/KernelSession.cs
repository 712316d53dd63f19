using System.Diagnostics;
using System.Text.Json.Nodes;
using Markdig;
using Microsoft.CodeAnalysis;
using Microsoft.DotNet.Interactive.Hosting;
using NotebookEngine.Documents;
using NotebookEngine.Packages;

namespace NotebookEngine.Execution;

/// <summary>
/// A C# session with state carried from cell to cell (Roslyn scripting), the display API of
/// Polyglot's C# kernel, directives (<c>#r</c>, <c>#i</c>, <c>#load</c>, <c>#!import</c>, <c>#!time</c>)
/// and Markdown cells. Cells run one at a time.
/// </summary>
/// <remarks>
/// This type runs a cell: it picks the cell's kernel and carries out its directives. Package and assembly
/// resolution is <see cref="SessionReferences"/>, compiling and running the code <see cref="SubmissionRunner"/>,
/// and error outputs <see cref="CellErrors"/>.
/// </remarks>
public sealed class KernelSession
{
    /// <summary>Namespaces and the static class every cell sees, as in Polyglot's C# kernel.</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
        "Microsoft.DotNet.Interactive", "Microsoft.DotNet.Interactive.Kernel",
    ];

    private static readonly MarkdownPipeline s_markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private readonly SubmissionRunner _submissions;
    private readonly SessionReferences _references;
    private int _executionCount;
    private volatile CellOutputs? _running;

    /// <summary>Creates a session; relative paths in directives resolve against <paramref name="workingDirectory"/> (default: the current directory).</summary>
    public KernelSession(string? workingDirectory = null, PackageRestorer? restorer = null)
    {
        WorkingDirectory = Path.GetFullPath(workingDirectory ?? Directory.GetCurrentDirectory());
        _submissions = new SubmissionRunner(DefaultImports);
        ConsoleCapture.Install();
        _references = new SessionReferences(WorkingDirectory, restorer ?? new PackageRestorer());
    }

    /// <summary>The folder relative paths resolve against.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Raised for every output added or changed while a cell runs (for live frontends).</summary>
    public event Action<OutputEvent>? OutputChanged;

    /// <summary>The outputs so far of the cell that is running now (empty when none is).</summary>
    public List<JsonObject> RunningOutputs => _running?.Snapshot() ?? [];

    /// <summary>Packages resolved in this session (name to version).</summary>
    public IReadOnlyDictionary<string, string> ResolvedPackages => _references.ResolvedPackages;

    /// <summary>Time the last NuGet restore took, and whether it came from the cache.</summary>
    public (TimeSpan Elapsed, bool FromCache)? LastRestore => _references.LastRestore;

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
            outputs.Add(CellErrors.Output(failure.ErrorName, failure.Message, failure.Traceback));
            return new CellResult(false, outputs.Snapshot(), count, failure.ErrorName, failure.Message, clock.Elapsed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            outputs.Add(CellErrors.Output(e.GetType().FullName ?? "Exception", e.Message, [e.ToString()]));
            return new CellResult(false, outputs.Snapshot(), count, e.GetType().FullName, e.Message, clock.Elapsed);
        }
    }

    /// <summary>
    /// The compilation <paramref name="code"/> would get as the next cell (session state included),
    /// without running it: for completion and inspection in a frontend. Directives are not processed.
    /// </summary>
    public Compilation GetCompilation(string code) => _submissions.GetCompilation(code);

    /// <summary>Compiles and runs an empty submission, so the first real cell does not pay for Roslyn's start-up.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken = default) =>
        _submissions.RunAsync("0", "warmup", new CellOutputs(), 0, showResult: false, cancellationToken);

    private async Task RunCellAsync(string source, string? kernelName, string label, CellOutputs outputs, int count, CancellationToken cancellationToken)
    {
        var kernel = NormalizeKernelName(kernelName ?? "csharp");
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first >= 0 && lines[first].Trim() is var head && head.StartsWith("#!", StringComparison.Ordinal)
            && Directives.KernelNames.Contains(head[2..]))
        {
            kernel = NormalizeKernelName(head[2..]);
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
                case "kernel" when NormalizeKernelName(d.Argument) == "csharp":
                    break;
                case "kernel":
                    throw new CellFailure("UnsupportedKernel", $"kernel '{NormalizeKernelName(d.Argument)}' is not supported by this engine (line {d.Line}: a cell can switch only to C#)");
                case "magic":
                    throw new CellFailure("UnsupportedMagicCommand", $"magic command '#!{d.Argument}' is not supported by this engine (line {d.Line})");
                case "time":
                    timed = true;
                    break;
                case "i":
                    _references.AddSource(d.Argument);
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
        await _submissions.RunAsync(code, label, outputs, count, showResult: true, cancellationToken);
        if (timed)
            outputs.WriteStream("stdout", $"Wall time: {clock.Elapsed.TotalMilliseconds:0.###}ms\n");
    }

    /// <summary>A kernel's one name for its aliases: <c>csharp</c> for <c>C#</c>, <c>markdown</c> for <c>md</c>, ...</summary>
    public static string NormalizeKernelName(string kernel) => kernel.ToLowerInvariant() switch
    {
        "c#" or "csharp" or "c_sharp" => "csharp",
        "f#" or "fsharp" => "fsharp",
        "md" or "markdown" => "markdown",
        "powershell" or "pwsh" => "pwsh",
        "js" or "javascript" => "javascript",
        var other => other,
    };

    private string ResolvePath(string path) => Directives.ResolvePath(path, WorkingDirectory);

    private async Task ReferenceAsync(Directive d, CellOutputs outputs, CancellationToken cancellationToken) =>
        _submissions.AddReferences(await _references.ReferenceAsync(d, outputs, cancellationToken));

    /// <summary>
    /// The files being imported or loaded, outermost first: a file that imports itself, directly or
    /// through others, is an error naming the cycle instead of a recursion that overflows the stack.
    /// </summary>
    private readonly List<string> _importChain = [];

    private async Task WithinImportAsync(string directive, string path, Func<Task> run)
    {
        var full = Path.GetFullPath(path);
        if (_importChain.Contains(full, StringComparer.Ordinal))
            throw new CellFailure("ImportCycle",
                $"{directive}: import cycle: {string.Join(" → ", _importChain.SkipWhile(p => p != full).Append(full).Select(Path.GetFileName))} (a file cannot import itself, directly or through others)");
        _importChain.Add(full);
        try
        {
            await run();
        }
        finally
        {
            _importChain.RemoveAt(_importChain.Count - 1);
        }
    }

    private Task RunFileAsync(string path, CellOutputs outputs, int count, CancellationToken cancellationToken) =>
        WithinImportAsync("#load", path, () => RunFileUncheckedAsync(path, outputs, count, cancellationToken));

    private async Task RunFileUncheckedAsync(string path, CellOutputs outputs, int count, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new CellFailure("FileNotFound", $"file not found: {path}");
        var (directives, code) = Directives.Parse(await File.ReadAllTextAsync(path, cancellationToken));
        foreach (var d in directives.Where(d => d.Kind is "r" or "i" or "load"))
        {
            if (d.Kind == "i")
                _references.AddSource(d.Argument);
            else if (d.Kind == "load")
                await RunFileAsync(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, d.Argument)), outputs, count, cancellationToken);
            else
                await ReferenceAsync(d, outputs, cancellationToken);
        }
        await _submissions.RunAsync(code, path, outputs, count, showResult: false, cancellationToken);
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
        await WithinImportAsync("#!import", path, async () =>
        {
            var doc = NotebookFile.Load(path);
            var index = 0;
            foreach (var cell in doc.Cells)
            {
                index++;
                if (!cell.IsCode)
                    continue;
                await RunCellAsync(cell.Source, cell.KernelName ?? doc.DefaultKernelName, $"{path}[{index}]", outputs, count, cancellationToken);
            }
        });
    }
}
