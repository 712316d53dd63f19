using NotebookEngine.Documents;
using NotebookRunner.Export;

namespace NotebookRunner.Tests.Export;

/// <summary>
/// What <see cref="AppExporter"/> makes of small notebooks: the constructs a notebook allows and a C# program does not,
/// rewritten, and a clear error (which cell, why) for those it cannot rewrite.
/// </summary>
public class AppExporterTests
{
    private static readonly string Root = Site.SiteFixture.RepositoryRoot;

    // A notebook beside the chapters (so `#!import ../kernels/setup.dib` is the course's setup) exported into artifacts/.
    private static readonly string NotebookPath = Path.Combine(Root, "notebooks", "fixture-export.ipynb");
    private static readonly string AppPath = Path.Combine(Root, "artifacts", "test-export", "fixture-export.cs");

    private static NotebookDocument Notebook(params NotebookCell[] cells)
    {
        var doc = NotebookDocument.CreateCSharp();
        doc.Cells.AddRange(cells);
        return doc;
    }

    private static NotebookCell Markdown(string text) => new() { CellType = "markdown", Source = text };

    private static NotebookCell Code(string source, params string[] tags) => NotebookCell.CreateCode(source, tags);

    private static string Translate(params NotebookCell[] cells) => AppExporter.Translate(Notebook(cells), NotebookPath, AppPath);

    private static NotExportableException Refused(params NotebookCell[] cells) =>
        Assert.Throws<NotExportableException>(() => Translate(cells));

    [Fact]
    public void The_setup_import_becomes_package_and_project_directives_and_its_usings_go_to_the_top()
    {
        // Given a chapter-shaped notebook: the shared setup, then code
        // When it is exported into the repository's artifacts folder
        var app = Translate(Code("#!import ../kernels/setup.dib"), Code("var x = torch.ones(3);"));

        // Then the setup's packages are directives (versionless: Directory.Packages.props pins them, and says which version),
        // the library it loads by path is its project (relative to the app), and the engine's project gives display()
        Assert.Contains("// TorchSharp-cpu 0.107.0: pinned by ../../Directory.Packages.props", app);
        Assert.Contains("\n#:package TorchSharp-cpu\n", app);
        Assert.Contains("\n#:package Microsoft.Data.Analysis\n", app);
        Assert.Contains("\n#:project ../../src/DeepLearning.Course/DeepLearning.Course.csproj\n", app);
        Assert.Contains("\n#:project ../../src/NotebookEngine/NotebookEngine.csproj\n", app);
        Assert.DoesNotContain("#r ", app);
        Assert.DoesNotContain("#!import", app);
        // the engine's default imports and the setup's usings precede every statement; its code runs first
        Assert.True(app.IndexOf("using static Microsoft.DotNet.Interactive.Kernel;", StringComparison.Ordinal) < app.IndexOf("Course.Setup(seed: 0);", StringComparison.Ordinal));
        Assert.True(app.IndexOf("using static TorchSharp.torch;", StringComparison.Ordinal) < app.IndexOf("using var app = ", StringComparison.Ordinal));
        Assert.True(app.IndexOf("Course.Setup(seed: 0);", StringComparison.Ordinal) < app.IndexOf("var x = torch.ones(3);", StringComparison.Ordinal));
        // and, with the course library referenced, its recorded metrics go to metrics.json
        Assert.Contains("metrics: () => DeepLearning.Course.Interactive.Metrics.Recorded", app);
    }

    [Fact]
    public void Outside_the_repository_packages_carry_their_pins_and_projects_are_absolute()
    {
        // Given the same notebook exported to a folder no Directory.Packages.props manages
        var outside = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}", "app.cs");

        // When it is translated
        var app = AppExporter.Translate(Notebook(Code("#!import ../kernels/setup.dib")), NotebookPath, outside);

        // Then the setup cell's versions are the directives' pins and the projects are named by absolute path
        Assert.Contains("\n#:package TorchSharp-cpu@0.107.0\n", app);
        Assert.Contains("\n#:package Microsoft.Data.Analysis@0.23.1\n", app);
        Assert.Contains($"\n#:project {Path.Combine(Root, "src", "DeepLearning.Course", "DeepLearning.Course.csproj")}\n", app);
    }

    [Fact]
    public void Markdown_cells_become_comments_and_code_cells_keep_their_order()
    {
        // Given markdown between two code cells
        var app = Translate(Markdown("# Title\n\nSome *prose*."), Code("var a = 1;"), Markdown("More."), Code("var b = a + 1;"));

        // Then the markdown is commented out line by line, and each code cell is marked with its number
        Assert.Contains("// # Title\n//\n// Some *prose*.\n", app);
        Assert.True(app.IndexOf("// # Title", StringComparison.Ordinal) < app.IndexOf("// cell 2\nvar a = 1;", StringComparison.Ordinal));
        Assert.True(app.IndexOf("// cell 2\nvar a = 1;", StringComparison.Ordinal) < app.IndexOf("// More.", StringComparison.Ordinal));
        Assert.True(app.IndexOf("// More.", StringComparison.Ordinal) < app.IndexOf("// cell 4\nvar b = a + 1;", StringComparison.Ordinal));
    }

    [Fact]
    public void The_parameters_cell_keeps_its_defaults_and_takes_command_line_values_typed_like_them()
    {
        // Given a parameters cell with a const among its variables
        var app = Translate(Code("var quick = false;\nconst int seed = 0;\nvar lr = 1e-3;", "parameters"), Code("var n = quick ? 1 : 10;"));

        // Then the defaults stay (no const: a command-line value must replace it), each is then replaced by the command line's
        // value converted to its own type, and the host knows the names, so an unknown one is refused
        Assert.Contains("var quick = false;\nint seed = 0;\nvar lr = 1e-3;", app);
        Assert.Contains("quick = app.Parameter(nameof(quick), quick);\nseed = app.Parameter(nameof(seed), seed);\nlr = app.Parameter(nameof(lr), lr);\n", app);
        Assert.Contains("NotebookApp.Start(args, \"../../notebooks\", [\"quick\", \"seed\", \"lr\"]", app);
        Assert.True(app.IndexOf("lr = app.Parameter", StringComparison.Ordinal) < app.IndexOf("var n = quick", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cells_last_expression_is_displayed_as_the_notebook_shows_it()
    {
        // Given cells ending in a value, a call (which may return nothing), an await, and a statement
        var app = Translate(
            Code("var x = 2;\nx * 3"),
            Code("Console.WriteLine(x);\nMath.Max(x, 4)"),
            Code("await Task.FromResult(x)"),
            Code("x + 1;"));

        // Then values are displayed, calls go through the host (displayed only when they return something), awaits are awaited,
        // and a statement ending in a semicolon stays a statement
        Assert.Contains("display(x * 3);", app);
        Assert.Contains("app.Result(() => Math.Max(x, 4));", app);
        Assert.Contains("await app.ResultAsync(async () => await Task.FromResult(x));", app);
        Assert.Contains("\nx + 1;", app);
        Assert.DoesNotContain("display(x + 1)", app);
    }

    [Fact]
    public void Type_declarations_go_to_the_end_and_a_cells_methods_and_fields_become_local()
    {
        // Given a cell that declares a record, a public method, a field with modifiers and a using directive, used by a later cell
        var app = Translate(
            Code("using System.Globalization;\nrecord Point(double X, double Y);\npublic static double Norm(Point p) => Math.Sqrt(p.X * p.X + p.Y * p.Y);\nprivate static readonly int Dims = 2;"),
            Code("var n = Norm(new Point(3, 4)).ToString(CultureInfo.InvariantCulture);"));

        // Then the using is at the top, the record after every statement (with a note where it was), the method a static local function,
        // the field a local variable
        Assert.True(app.IndexOf("using System.Globalization;", StringComparison.Ordinal) < app.IndexOf("using var app", StringComparison.Ordinal));
        Assert.Contains("// (record Point is declared at the end of the file", app);
        Assert.True(app.IndexOf("var n = Norm", StringComparison.Ordinal) < app.IndexOf("record Point(double X, double Y);", StringComparison.Ordinal));
        Assert.Contains("\nstatic double Norm(Point p) =>", app);
        Assert.Contains("\nint Dims = 2;", app);
        Assert.DoesNotContain("public static double", app);
    }

    [Fact]
    public void A_variable_its_own_initializer_uses_is_declared_before_it_is_assigned()
    {
        // Given a variable whose initializer's lambda uses it (a field in a notebook, always assigned; a local in a program)
        var app = Translate(Code("Func<int, int> fact = n => n <= 1 ? 1 : n * fact(n - 1);"));

        // Then it is declared first and assigned next, so the program compiles as the notebook did
        Assert.Contains("Func<int, int> fact = default;", app);
        Assert.Contains("\nfact = n => n <= 1 ? 1 : n * fact(n - 1);", app);
    }

    [Fact]
    public void The_hosts_variable_does_not_take_a_name_the_cells_use()
    {
        // Given a notebook with its own variable called app
        var app = Translate(Code("var app = \"mine\";\napp"));

        // Then the host is called something else
        Assert.Contains("using var notebookApp = NotebookEngine.Apps.NotebookApp.Start(", app);
        Assert.Contains("display(app);", app);
    }

    [Fact]
    public void A_notebook_that_cannot_be_a_program_is_refused_naming_the_cell_and_the_reason()
    {
        // Another kernel
        var fsharp = Refused(Code("var a = 1;"), new NotebookCell { Source = "let x = 1", KernelName = "fsharp" });
        Assert.Equal("cell 2", fsharp.Where);
        Assert.Contains("fsharp", fsharp.Reason);

        // A magic command
        Assert.Contains("#!who", Refused(Code("#!who")).Reason);

        // A name declared by two cells (a script may redeclare it, a program may not)
        var twice = Refused(Code("var model = 1;"), Markdown("text"), Code("var model = 2;"));
        Assert.Equal("cell 3", twice.Where);
        Assert.Contains("declares model again (cell 1 declared it first)", twice.Reason);

        // A package without a version
        Assert.Contains("names no version", Refused(Code("#r \"nuget: Newtonsoft.Json\"")).Reason);

        // A DLL no project builds
        Assert.Contains("no project builds", Refused(Code("#r \"/nowhere/Some.dll\"")).Reason);

        // A property at a cell's top level
        Assert.Contains("property", Refused(Code("int Answer => 42;")).Reason);

        // Code that does not parse
        var broken = Refused(Code("var a = 1;\nvar b = (;"));
        Assert.Contains("line 2 does not parse", broken.Reason);
    }

    [Fact]
    public void A_refused_export_writes_nothing_and_leaves_an_earlier_app_in_place()
    {
        // Given an app exported before, and a notebook that cannot be exported
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}")).FullName;
        var notebook = Path.Combine(Root, "artifacts", "test-export", $"refused-{Guid.NewGuid():N}.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(notebook)!);
        var doc = Notebook(Code("var a = 1;"));
        NotebookFile.SaveAtomically(doc, notebook);
        var app = AppExporter.Export(notebook, folder);
        var before = File.ReadAllText(app);
        doc.Cells.Add(new NotebookCell { Source = "let x = 1", KernelName = "fsharp" });
        NotebookFile.SaveAtomically(doc, notebook);

        // When it is exported over the earlier app
        var error = Assert.Throws<NotExportableException>(() => AppExporter.Export(notebook, folder));

        // Then the earlier app is unchanged and no temporary file is left
        Assert.Equal("cell 2", error.Where);
        Assert.Equal(before, File.ReadAllText(app));
        Assert.Equal([app], Directory.GetFiles(folder));
        File.Delete(notebook);
        Directory.Delete(folder, recursive: true);
    }
}
