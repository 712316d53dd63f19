using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Html;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookEngine.Execution;

/// <summary>
/// Compile-and-run: Roslyn <c>CSharpScript</c> submissions chained one after another (state carried), compiled
/// against a common subset of the shared framework until a cell needs more, with the C# kernel's default imports.
/// The last expression's value becomes an <c>execute_result</c>; errors become <see cref="CellFailure"/>s.
/// </summary>
internal sealed class SubmissionRunner
{
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

    private static readonly Lazy<IReadOnlyList<MetadataReference>> s_baseReferences = new(BaseReferences);
    private static readonly Lazy<IReadOnlyList<MetadataReference>> s_allFramework = new(() => FrameworkReferences(all: true));

    private ScriptOptions _options;
    private ScriptState<object>? _state;
    private int _submission;
    private bool _fullFramework;

    /// <summary>A chain with no submission yet, importing <paramref name="imports"/> in every cell.</summary>
    public SubmissionRunner(IEnumerable<string> imports)
    {
        _options = ScriptOptions.Default
            .WithReferences(s_baseReferences.Value)
            .WithImports(imports)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithAllowUnsafe(true)
            .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview);
    }

    /// <summary>Makes <paramref name="references"/> visible to this and every later submission.</summary>
    public void AddReferences(IReadOnlyList<MetadataReference> references)
    {
        if (references.Count > 0)
            _options = _options.AddReferences(references);
    }

    /// <summary>The compilation <paramref name="code"/> would get as the next submission, without running it.</summary>
    public Compilation GetCompilation(string code)
    {
        var options = _options.WithFilePath("completion");
        var state = _state;
        return (state is null ? CSharpScript.Create(code, options) : state.Script.ContinueWith(code, options)).GetCompilation();
    }

    /// <summary>
    /// Compiles <paramref name="code"/> (debug file name <paramref name="label"/>) as the next submission and runs it;
    /// with <paramref name="showResult"/>, a trailing expression's value is added to <paramref name="outputs"/>.
    /// </summary>
    public async Task RunAsync(string code, string label, CellOutputs outputs, int count, bool showResult, CancellationToken cancellationToken)
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
            throw CellErrors.Compilation(errors);
        var hasValue = HasResultValue(script.GetCompilation());
        _submission++;
        var state = _state is null
            ? await script.RunAsync(globals: null, catchException: _ => true, cancellationToken)
            : await script.RunFromAsync(_state, catchException: _ => true, cancellationToken);
        // An interrupted cell (a frontend's interrupt) does not commit its state, even when it ends later.
        cancellationToken.ThrowIfCancellationRequested();
        _state = state;
        if (state.Exception is { } exception)
            throw CellErrors.Runtime(exception, label);
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
