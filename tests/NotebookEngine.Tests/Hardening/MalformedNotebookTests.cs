using System.Diagnostics;
using System.Security.Cryptography;
using NotebookEngine.Documents;

namespace NotebookEngine.Tests.Hardening;

/// <summary>Every generated malformed notebook and odd path is refused with a message naming the file and the cause, and is never changed.</summary>
public class MalformedNotebookTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("engine-hardening").FullName;

    public static TheoryData<string> Names() => [.. BadNotebooks.All().Select(b => b.Name)];

    [Fact]
    public void At_least_a_hundred_bad_notebooks_are_generated_with_distinct_names()
    {
        var names = BadNotebooks.All().Select(b => b.Name).ToList();

        Assert.True(names.Count >= 100, $"{names.Count} generated");
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_malformed_notebook_is_refused_naming_the_file_and_the_cause_and_left_unchanged(string name)
    {
        // Given
        var (_, content, cause) = BadNotebooks.All().Single(b => b.Name == name);
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);

        // When
        var error = Assert.Throws<NotebookFileException>(() => NotebookFile.Load(path));

        // Then
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(cause, error.Message);
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(File.ReadAllBytes(path)));
    }

    [Fact]
    public void The_generators_valid_notebook_loads()
    {
        var path = Path.Combine(_folder, "valid.ipynb");
        File.WriteAllText(path, BadNotebooks.Valid);

        Assert.Equal(2, NotebookFile.Load(path).Cells.Count);
    }

    public static TheoryData<string> OddPaths() => ["fifo", "dangling link", "link loop", "folder named .ipynb", "device", "link to a fifo", "missing", "too large"];

    [Theory]
    [MemberData(nameof(OddPaths))]
    public async Task An_odd_path_is_refused_without_opening_it(string kind)
    {
        // Given
        var path = Path.Combine(_folder, "odd.ipynb");
        var cause = kind switch
        {
            "fifo" => Make(() => MkFifo(path), "named pipe"),
            "dangling link" => Make(() => File.CreateSymbolicLink(path, Path.Combine(_folder, "gone.ipynb")), "which does not exist"),
            "link loop" => Make(() =>
            {
                File.CreateSymbolicLink(path, Path.Combine(_folder, "other.ipynb"));
                File.CreateSymbolicLink(Path.Combine(_folder, "other.ipynb"), path);
            }, "symbolic link loop"),
            "folder named .ipynb" => Make(() => Directory.CreateDirectory(path), "is a folder"),
            "device" => Make(() => File.CreateSymbolicLink(path, "/dev/zero"), "device"),
            "link to a fifo" => Make(() =>
            {
                MkFifo(Path.Combine(_folder, "pipe"));
                File.CreateSymbolicLink(path, Path.Combine(_folder, "pipe"));
            }, "named pipe"),
            "missing" => "does not exist",
            _ => Make(() =>
            {
                using var f = File.Create(path);
                f.SetLength(NotebookFile.MaxBytes + 1);
            }, "MiB"),
        };

        // When: on a thread, so a regression that opens the FIFO fails the test instead of hanging it
        var error = await Task.Run(() => Assert.Throws<NotebookFileException>(() => NotebookFile.Load(path))).WaitAsync(TimeSpan.FromSeconds(20));

        // Then
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(cause, error.Message);
    }

    private static string Make(Action create, string cause)
    {
        create();
        return cause;
    }

    private static void MkFifo(string path)
    {
        using var p = Process.Start("mkfifo", [path]);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
