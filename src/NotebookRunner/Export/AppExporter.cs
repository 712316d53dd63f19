using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NotebookEngine.Apps;
using NotebookEngine.Documents;
using NotebookEngine.Execution;

namespace NotebookRunner.Export;

/// <summary>
/// Turns a notebook into a .NET 10 file-based app (<c>dotnet run NAME.cs</c>) that runs its cells in order as top-level
/// statements. The cells are read as the engine reads them (<see cref="NotebookFile"/>, <see cref="Directives"/>, the
/// <c>parameters</c> tag of <see cref="Parameters"/>) and parsed by Roslyn as the script code they are; what a script
/// allows and a program does not is rewritten:
/// <list type="bullet">
/// <item><c>#r "nuget: Name, Version"</c> → <c>#:package</c> (without the version under central package management,
/// which pins it; the version must then be the same); <c>#r "path/bin/…/X.dll"</c> → <c>#:project</c> of the project that
/// builds it; <c>#i</c> → a restore source; <c>#!import</c> and <c>#load</c> → the imported cells, inline;
/// <c>#!time</c> → a stopwatch.</item>
/// <item><c>using</c> directives → the top of the file; type declarations → the end (C# requires both);
/// a cell's top-level methods and fields → local functions and variables (modifiers dropped).</item>
/// <item>a cell's last expression, which a notebook displays → <c>display(expr);</c> (through
/// <see cref="NotebookApp.Result{T}"/> when it is a call, which may return nothing).</item>
/// <item>the <c>parameters</c> cell → its defaults, then one <see cref="NotebookApp.Parameter{T}"/> line per variable,
/// so command-line values replace them, converted as <c>run -p</c> injects them.</item>
/// <item>markdown cells → comments.</item>
/// </list>
/// Anything else a program cannot do (another kernel, a magic command, a property at a cell's top level, a name declared
/// by two cells) is a <see cref="NotExportableException"/> naming the cell.
/// </summary>
public static partial class AppExporter
{
    /// <summary>The course library's project: its recorded metrics (<c>Metrics.Recorded</c>) go to the app's <c>metrics.json</c>.</summary>
    public const string CourseLibraryProject = "DeepLearning.Course.csproj";

    private const string EngineProject = "NotebookEngine.csproj";

    /// <summary>
    /// Exports <paramref name="notebookPath"/> to <c>NAME.cs</c> in <paramref name="outputFolder"/>, written atomically
    /// (nothing is written when the notebook cannot be exported); returns the app's path.
    /// </summary>
    /// <exception cref="NotExportableException">A cell has no counterpart in a C# program.</exception>
    public static string Export(string notebookPath, string outputFolder)
    {
        var notebook = Path.GetFullPath(notebookPath);
        var app = Path.Combine(Path.GetFullPath(outputFolder), Path.GetFileNameWithoutExtension(notebook) + ".cs");
        var source = Translate(NotebookFile.Load(notebook), notebook, app);
        Directory.CreateDirectory(Path.GetDirectoryName(app)!);
        NotebookFile.WriteAllTextAtomically(app, source);
        return app;
    }

    /// <summary>The source of the app that <paramref name="notebookPath"/> (read as <paramref name="doc"/>) becomes at <paramref name="appPath"/>.</summary>
    /// <exception cref="NotExportableException">A cell has no counterpart in a C# program.</exception>
    public static string Translate(NotebookDocument doc, string notebookPath, string appPath)
    {
        var notebook = Path.GetFullPath(notebookPath);
        var app = Path.GetFullPath(appPath);
        var builder = new Builder(Path.GetDirectoryName(notebook)!);
        builder.Notebook(doc, Path.GetDirectoryName(notebook)!, null);
        return builder.Render(notebook, app);
    }

    /// <summary>Collects one app from the cells, in order.</summary>
    private sealed class Builder(string notebookFolder)
    {
        private static readonly CSharpParseOptions s_script = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);

        private readonly Dictionary<string, (string Version, string Where)> _packages = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _projects = [];
        private readonly List<string> _sources = [];
        private readonly List<string> _usings = [];
        private readonly List<(string Where, string Text)> _types = [];
        private readonly Dictionary<string, string> _declared = new(StringComparer.Ordinal);
        private readonly List<string> _parameters = [];
        private readonly List<string> _imports = [];
        private readonly StringBuilder _body = new();
        private string _app = "app";
        private bool _appNamed;
        private int _timers;

        public void Notebook(NotebookDocument doc, string folder, string? file)
        {
            if (!_appNamed)
            {
                // The host's variable must not clash with a name the cells use.
                var all = string.Join('\n', doc.Cells.Where(c => c.IsCode).Select(c => c.Source));
                while (Regex.IsMatch(all, $@"\b{_app}\b"))
                    _app = _app == "app" ? "notebookApp" : _app + "_";
                _appNamed = true;
            }
            var parameters = doc.Cells.FindIndex(c => c.IsCode && c.Tags.Contains(Parameters.Tag));
            for (var i = 0; i < doc.Cells.Count; i++)
            {
                var cell = doc.Cells[i];
                var where = file is null ? $"cell {i + 1}" : $"{file}, cell {i + 1}";
                if (!cell.IsCode)
                {
                    if (file is null)
                        Comment(cell.Source);
                    continue;
                }
                Code(cell.Source, KernelSession.NormalizeKernelName(cell.KernelName ?? doc.DefaultKernelName), where, folder, file is null && i == parameters);
            }
        }

        private void Comment(string markdown)
        {
            var text = markdown.Replace("\r\n", "\n").Trim('\n');
            if (text.Length == 0)
                return;
            foreach (var line in text.Split('\n'))
                _body.Append(line.Length == 0 ? "//" : "// " + line.TrimEnd()).Append('\n');
            _body.Append('\n');
        }

        private void Code(string source, string kernel, string where, string folder, bool isParameters)
        {
            var (directives, code) = Directives.Parse(source);
            foreach (var d in directives.Where(d => d.Kind == "kernel"))
                kernel = KernelSession.NormalizeKernelName(d.Argument);
            if (kernel == "markdown")
            {
                Comment(string.Join('\n', source.Replace("\r\n", "\n").Split('\n').Where(l => !l.TrimStart().StartsWith("#!", StringComparison.Ordinal))));
                return;
            }
            if (kernel != "csharp")
                throw new NotExportableException(where, $"it is a {kernel} cell; a C# file-based app runs C# only");
            var timer = (string?)null;
            var header = false;
            foreach (var d in directives)
            {
                switch (d.Kind)
                {
                    case "magic":
                        throw new NotExportableException(where, $"line {d.Line}: the magic command #!{d.Argument} has no counterpart in a C# program");
                    case "r":
                        Reference(d, where, folder);
                        break;
                    case "i":
                        _sources.Add(d.Argument.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase) ? d.Argument["nuget:".Length..].Trim() : d.Argument);
                        break;
                    case "load":
                    case "import":
                        Import(Directives.ResolvePath(d.Argument, folder), where, d);
                        break;
                    case "time":
                        timer = $"cellClock{++_timers}";
                        break;
                }
            }
            if (string.IsNullOrWhiteSpace(code))
                return;
            var tree = CSharpSyntaxTree.ParseText(code, s_script);
            if (tree.GetDiagnostics().FirstOrDefault(e => e.Severity == DiagnosticSeverity.Error) is { } error)
                throw new NotExportableException(where, $"line {error.Location.GetLineSpan().StartLinePosition.Line + 1} does not parse: {error.GetMessage()}");
            var root = (CompilationUnitSyntax)tree.GetRoot();
            if (root.Externs.Count > 0 || root.AttributeLists.Count > 0)
                throw new NotExportableException(where, "extern aliases and assembly attributes are not supported in an exported app");
            foreach (var u in root.Usings)
            {
                var text = u.WithoutTrivia().ToFullString();
                if (!_usings.Contains(text))
                    _usings.Add(text);
            }

            _body.Append("// ").Append(where).Append(isParameters ? " (parameters)" : "").Append('\n');
            header = true;
            if (timer is not null)
                _body.Append($"var {timer} = System.Diagnostics.Stopwatch.StartNew();\n");
            var last = root.Members.LastOrDefault();
            foreach (var member in root.Members)
            {
                switch (member)
                {
                    case GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } result } when member == last:
                        _body.Append(Result(result));
                        break;
                    case GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local }:
                        _body.Append(Variables(local, where, isParameters));
                        break;
                    case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax function }:
                        Declare(function.Identifier.Text, where);
                        _body.Append(function.ToFullString());
                        break;
                    case GlobalStatementSyntax statement:
                        _body.Append(statement.ToFullString());
                        break;
                    case MethodDeclarationSyntax method:
                        // A script's method is a local function of the program's top-level statements (no access modifiers).
                        Declare(method.Identifier.Text, where);
                        _body.Append(method.WithModifiers(LocalModifiers(method.Modifiers)).WithLeadingTrivia(method.GetLeadingTrivia()).ToFullString());
                        break;
                    case FieldDeclarationSyntax field:
                        // A script's top-level variable is a field; a program's is a local variable (no access modifiers).
                        var variables = SyntaxFactory.LocalDeclarationStatement(
                                SyntaxFactory.TokenList(field.Modifiers.Where(m => m.IsKind(SyntaxKind.ConstKeyword))), field.Declaration)
                            .WithLeadingTrivia(field.GetLeadingTrivia()).WithTrailingTrivia(field.GetTrailingTrivia());
                        _body.Append(Variables(variables, where, isParameters));
                        break;
                    case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                        var name = member is BaseTypeDeclarationSyntax t ? t.Identifier.Text : ((DelegateDeclarationSyntax)member).Identifier.Text;
                        Declare(name, where);
                        _types.Add((where, member.ToFullString().Trim('\n')));
                        _body.Append($"// ({Describe(member)} {name} is declared at the end of the file: C# puts type declarations after the top-level statements)\n");
                        break;
                    default:
                        throw new NotExportableException(where,
                            $"line {Line(member)}: a {Describe(member)} at the top of a cell has no counterpart in a program's top-level statements; make it a local variable or function, or put it in a class");
                }
            }
            if (!_body.ToString().EndsWith('\n'))
                _body.Append('\n');
            if (timer is not null)
                _body.Append($"Console.WriteLine($\"Wall time: {{{timer}.Elapsed.TotalMilliseconds:0.###}}ms\");\n");
            if (isParameters && _parameters.Count > 0)
            {
                _body.Append("// Values given on the command line replace these defaults, converted as `NotebookRunner run -p name=value` injects them.\n");
                foreach (var p in _parameters)
                    _body.Append($"{p} = {_app}.Parameter(nameof({p}), {p});\n");
            }
            if (header)
                _body.Append('\n');
        }

        /// <summary>A cell's top-level variables; in the parameters cell each is a parameter, and none stays const.</summary>
        private string Variables(LocalDeclarationStatementSyntax local, string where, bool isParameters)
        {
            foreach (var v in local.Declaration.Variables)
                Declare(v.Identifier.Text, where);
            if (!isParameters)
                return SelfReferenceSplit(local) ?? local.ToFullString();
            _parameters.AddRange(local.Declaration.Variables.Select(v => v.Identifier.Text));
            var leading = local.GetLeadingTrivia();
            return local.WithModifiers(SyntaxFactory.TokenList(local.Modifiers.Where(m => !m.IsKind(SyntaxKind.ConstKeyword))))
                .WithLeadingTrivia(leading).ToFullString();
        }

        /// <summary>
        /// A variable whose initializer refers to the variable itself (a lambda in it calls it, as <c>EpochEnd = _ =&gt; Use(gan)</c>)
        /// is a field in a notebook, always assigned, but a local in a program, unassigned until its initializer ends: it is
        /// declared first, then assigned. Null when <paramref name="local"/> needs no change.
        /// </summary>
        private static string? SelfReferenceSplit(LocalDeclarationStatementSyntax local)
        {
            if (local.Declaration.Variables is not [{ Initializer: { } initializer } variable] || local.Declaration.Type.IsVar || local.IsConst
                || !initializer.Value.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.Text == variable.Identifier.Text))
                return null;
            var name = variable.Identifier.Text;
            return $"{local.GetLeadingTrivia().ToFullString()}{local.Declaration.Type} {name} = default; // assigned next: its initializer uses it, which a local variable's cannot\n"
                + $"{name} = {initializer.Value.ToFullString().Trim()};{local.GetTrailingTrivia().ToFullString()}";
        }

        private static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

        private static string Describe(SyntaxNode member) => member switch
        {
            RecordDeclarationSyntax => "record",
            ClassDeclarationSyntax => "class",
            StructDeclarationSyntax => "struct",
            InterfaceDeclarationSyntax => "interface",
            EnumDeclarationSyntax => "enum",
            DelegateDeclarationSyntax => "delegate",
            PropertyDeclarationSyntax => "property",
            IndexerDeclarationSyntax => "indexer",
            EventDeclarationSyntax or EventFieldDeclarationSyntax => "event",
            OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax => "operator",
            _ => member.Kind().ToString(),
        };

        private static SyntaxTokenList LocalModifiers(SyntaxTokenList modifiers) =>
            SyntaxFactory.TokenList(modifiers.Where(m => m.Kind() is SyntaxKind.StaticKeyword or SyntaxKind.AsyncKeyword or SyntaxKind.UnsafeKeyword
                or SyntaxKind.ExternKeyword));

        private void Declare(string name, string where)
        {
            if (_declared.TryGetValue(name, out var first))
                throw new NotExportableException(where,
                    $"it declares {name} again ({first} declared it first); a notebook may redeclare a name in a later cell, one C# program may not: give the second one another name");
            _declared[name] = where;
        }

        /// <summary>A cell's last expression: displayed, as the notebook shows it.</summary>
        private string Result(ExpressionStatementSyntax statement)
        {
            var expression = statement.Expression.WithoutTrivia().ToFullString();
            var awaits = statement.Expression.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                .OfType<AwaitExpressionSyntax>().Any();
            var call = statement.Expression is InvocationExpressionSyntax or ConditionalAccessExpressionSyntax;
            var text = awaits ? $"await {_app}.ResultAsync(async () => {expression});"
                : call ? $"{_app}.Result(() => {expression});"
                : $"display({expression});";
            return statement.GetLeadingTrivia().ToFullString() + text + statement.GetTrailingTrivia().ToFullString();
        }

        private void Reference(Directive d, string where, string folder)
        {
            if (Directives.TryParseNuGet(d.Argument, out var name, out var version))
            {
                if (version is null)
                    throw new NotExportableException(where, $"line {d.Line}: #r \"nuget: {name}\" names no version; an app pins one: #r \"nuget: {name}, VERSION\"");
                if (_packages.TryGetValue(name, out var earlier) && earlier.Version != version)
                    throw new NotExportableException(where, $"line {d.Line}: {name} {version} after {name} {earlier.Version} ({earlier.Where}); a program has one version of a package");
                _packages.TryAdd(name, (version, where));
                return;
            }
            if (!d.Argument.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !d.Argument.Contains('/') && !d.Argument.Contains('\\'))
                return; // a framework assembly by name: a program references the whole shared framework
            var dll = Directives.ResolvePath(d.Argument, folder);
            var project = ProjectBuilding(dll)
                ?? throw new NotExportableException(where,
                    $"line {d.Line}: no project builds {d.Argument} (none in its folder or above); a file-based app references packages (#:package) and projects (#:project), not DLLs");
            if (!_projects.Contains(project))
                _projects.Add(project);
        }

        /// <summary>The project whose build output <paramref name="dll"/> is: the one project file in its folder or the nearest folder above.</summary>
        private static string? ProjectBuilding(string dll)
        {
            for (var dir = new DirectoryInfo(Path.GetDirectoryName(dll)!); dir is not null; dir = dir.Parent)
            {
                if (!dir.Exists)
                    continue;
                var projects = dir.GetFiles("*.csproj");
                if (projects.Length == 1)
                    return projects[0].FullName;
                if (projects.Length > 1 || Directory.Exists(Path.Combine(dir.FullName, ".git")))
                    return null;
            }
            return null;
        }

        private void Import(string path, string where, Directive d)
        {
            var directive = d.Kind == "load" ? "#load" : "#!import";
            if (!File.Exists(path))
                throw new NotExportableException(where, $"line {d.Line}: {directive}: file not found: {path}");
            if (_imports.Contains(path))
                throw new NotExportableException(where, $"line {d.Line}: {directive}: {Path.GetFileName(path)} is imported again (an import cycle, or a second import)");
            _imports.Add(path);
            var label = Path.GetRelativePath(notebookFolder, path).Replace('\\', '/');
            if (NotebookFile.IsNotebook(path))
                Notebook(NotebookFile.Load(path), Path.GetDirectoryName(path)!, label);
            else
                Code(File.ReadAllText(path), "csharp", label, Path.GetDirectoryName(path)!, isParameters: false);
        }

        public string Render(string notebook, string app)
        {
            var appFolder = Path.GetDirectoryName(app)!;
            var name = Path.GetFileNameWithoutExtension(app);
            var repository = RepositoryRoot(notebookFolder);
            var relative = repository is not null && IsUnder(appFolder, repository);
            string PathTo(string target) => (relative ? Path.GetRelativePath(appFolder, target) : target).Replace('\\', '/');

            var engine = repository is null ? null : Path.Combine(repository, "src", "NotebookEngine", EngineProject);
            if (engine is null || !File.Exists(engine))
                throw new NotExportableException("the notebook", $"the notebook engine's project (src/NotebookEngine/{EngineProject}, which gives the app display()) was not found above {notebookFolder}");
            var central = CentralVersions(appFolder);

            var s = new StringBuilder();
            s.Append($"// {name}.cs: {Path.GetFileName(notebook)} as a .NET 10 file-based app, exported by\n");
            s.Append($"//   dotnet run --project src/NotebookRunner -c Release -- export {(repository is null ? notebook : Path.GetRelativePath(repository, notebook)).Replace('\\', '/')}\n");
            s.Append("// Run it from this folder (the first run builds the course's projects):\n");
            s.Append($"//   dotnet run {name}.cs{(_parameters.Count > 0 ? $"   or   dotnet run {name}.cs -- name=value ...   (parameters: {string.Join(", ", _parameters)})" : "")}\n");
            s.Append($"// Displays are printed as text and written to {name}-output/ (HTML, PNG, ...)");
            s.Append(_projects.Any(IsCourseLibrary) ? $", the recorded metrics to {name}-output/{NotebookApp.MetricsFile}.\n" : ".\n");
            s.Append("// Cells run in order as top-level statements; markdown cells are comments; type declarations are at the end.\n");
            s.Append($"// A cell's last expression, which a notebook shows, is display(value), or {_app}.Result(() => call) for a call (shown when it returns a value).\n\n");
            foreach (var (package, (version, where)) in _packages)
            {
                if (central is null)
                {
                    s.Append($"#:package {package}@{version}\n");
                    continue;
                }
                if (!central.TryGetValue(package, out var pinned))
                    throw new NotExportableException(where, $"{package} is not pinned in {central.Path}, which manages this folder's package versions; export to a folder outside it (--output)");
                if (pinned != version)
                    throw new NotExportableException(where, $"{package} {version} differs from {central.Path}'s pin {pinned}, which manages this folder's package versions and would win");
                s.Append($"// {package} {version}: pinned by {PathTo(central.Path)} (central package management), so the directive names no version.\n");
                s.Append($"#:package {package}\n");
            }
            foreach (var project in _projects.Append(engine).Distinct())
                s.Append($"#:project {PathTo(project)}\n");
            if (_sources.Count > 0)
                s.Append($"#:property RestoreAdditionalProjectSources={string.Join(';', _sources)}\n");
            // Notebook code compiles as in the engine: its imports only, nullable warnings off, warnings not errors.
            s.Append("#:property ImplicitUsings=disable\n#:property Nullable=disable\n#:property TreatWarningsAsErrors=false\n#:property PublishAot=false\n\n");

            foreach (var import in KernelSession.DefaultImports)
                s.Append(import == typeof(Microsoft.DotNet.Interactive.Kernel).FullName ? $"using static {import};\n" : $"using {import};\n");
            foreach (var u in _usings)
                s.Append(u).Append('\n');
            s.Append('\n');

            var metrics = _projects.Any(IsCourseLibrary) ? ", metrics: () => DeepLearning.Course.Interactive.Metrics.Recorded" : "";
            var parameters = string.Join(", ", _parameters.Select(p => $"\"{p}\""));
            s.Append("// The notebook's host: display() to the console and the output folder, parameters from the command line,\n");
            s.Append("// the notebook's folder as the working directory.\n");
            s.Append($"using var {_app} = NotebookEngine.Apps.NotebookApp.Start(args, \"{PathTo(notebookFolder)}\", [{parameters}]{metrics});\n\n");
            s.Append(_body.ToString().TrimEnd('\n')).Append('\n');
            foreach (var (where, text) in _types)
                s.Append($"\n// {where}\n{text}\n");
            return s.ToString();
        }

        private static bool IsCourseLibrary(string project) => Path.GetFileName(project) == CourseLibraryProject;

        private static bool IsUnder(string path, string folder) =>
            Path.GetRelativePath(folder, path) is var r && !r.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(r);

        private static string? RepositoryRoot(string start)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "src", "NotebookEngine", EngineProject)))
                    return dir.FullName;
            }
            return null;
        }

        /// <summary>The versions pinned by the <c>Directory.Packages.props</c> that manages <paramref name="folder"/>, if one does.</summary>
        private static CentralPins? CentralVersions(string folder)
        {
            for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
            {
                var props = Path.Combine(dir.FullName, "Directory.Packages.props");
                if (!File.Exists(props))
                    continue;
                var pins = new CentralPins(props);
                foreach (var item in XDocument.Load(props).Descendants("PackageVersion"))
                {
                    if (item.Attribute("Include")?.Value is { } id && item.Attribute("Version")?.Value is { } version)
                        pins[id] = version;
                }
                return pins;
            }
            return null;
        }
    }

    private sealed class CentralPins(string path) : Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        public string Path { get; } = path;
    }
}
