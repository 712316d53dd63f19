namespace NotebookEngine.Tests;

/// <summary>The fixture notebooks in <c>tests/fixtures/notebooks</c> (shared with the runner's tests).</summary>
internal static class Fixtures
{
    public static readonly string Notebooks = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "notebooks");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException("tests/fixtures/notebooks not found above " + AppContext.BaseDirectory);
    }
}
