namespace NotebookRunner.Export;

/// <summary>
/// <c>export NOTEBOOK [--output DIR]</c>: writes the notebook as a .NET 10 file-based app, <c>DIR/NAME.cs</c>
/// (default <c>artifacts/apps</c>), that a learner runs with <c>dotnet run NAME.cs</c> (see <see cref="AppExporter"/>).
/// </summary>
internal static class ExportCommand
{
    private const string Usage = """
        usage: NotebookRunner export <notebook.ipynb|.dib> [--output DIR]

          writes DIR/NAME.cs (default DIR: artifacts/apps), a .NET 10 file-based app that runs the notebook's cells in
          order; run it with `dotnet run NAME.cs` from DIR (parameters: `dotnet run NAME.cs -- quick=true`). It prints
          displays as text and writes them (HTML, PNG) and the recorded metrics (metrics.json) to DIR/NAME-output/.
        """;

    public static int Run(string[] args)
    {
        string? notebook = null;
        var output = Path.Combine("artifacts", "apps");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-o" or "--output" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                case var a when notebook is null && !a.StartsWith('-'):
                    notebook = a;
                    break;
                default:
                    Console.Error.WriteLine($"export: unexpected argument '{args[i]}'\n{Usage}");
                    return 2;
            }
        }
        if (notebook is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        try
        {
            var app = AppExporter.Export(notebook, output);
            var folder = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.GetDirectoryName(app)!);
            Console.WriteLine($"wrote {Path.GetRelativePath(Directory.GetCurrentDirectory(), app)}");
            Console.WriteLine($"run it: cd {folder} && dotnet run {Path.GetFileName(app)}   (add -- quick=true for the short version)");
            return 0;
        }
        catch (NotExportableException e)
        {
            Console.Error.WriteLine($"export: {notebook} cannot be exported: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"export: {e.Message}");
            return 1;
        }
    }
}
