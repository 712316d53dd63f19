namespace NotebookKernel.Tests;

/// <summary>Temporary folders shaped like the repository (notebooks/ beside src/ and kernels/), with the kernel spec installed.</summary>
internal sealed class TestLayout : IDisposable
{
    public TestLayout(bool chapter)
    {
        Root = Directory.CreateTempSubdirectory("kernel-test-").FullName;
        var install = KernelSpecInstaller.Install(Path.Combine(Root, "jupyter", "kernels"), Python.Runner);
        Assert.True(install.Installed, install.Message);
        NotebookFolder = Root;
        if (chapter)
        {
            var repo = RepoRoot();
            Assert.True(File.Exists(Path.Combine(repo, "src", "DeepLearning.Course", "bin", "Release", "net8.0", "DeepLearning.Course.dll")),
                "the course library must be built in Release (dotnet build -c Release) for kernels/setup.dib");
            Directory.CreateSymbolicLink(Path.Combine(Root, "src"), Path.Combine(repo, "src"));
            Directory.CreateSymbolicLink(Path.Combine(Root, "kernels"), Path.Combine(repo, "kernels"));
            NotebookFolder = Directory.CreateDirectory(Path.Combine(Root, "notebooks")).FullName;
        }
    }

    public string Root { get; }

    public string NotebookFolder { get; }

    /// <summary>Jupyter finds the installed spec (and keeps its runtime files) here.</summary>
    public Dictionary<string, string> Environment => new()
    {
        ["JUPYTER_PATH"] = Path.Combine(Root, "jupyter"),
        ["JUPYTER_RUNTIME_DIR"] = Path.Combine(Root, "runtime"),
        ["JUPYTER_DATA_DIR"] = Path.Combine(Root, "data"),
    };

    /// <summary>Copies fixture <paramref name="name"/> into the notebook folder.</summary>
    public string Add(string name)
    {
        var path = Path.Combine(NotebookFolder, name);
        File.Copy(Python.Fixture(name), path);
        return path;
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DeepLearningCourse.slnx")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("DeepLearningCourse.slnx not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        // Remove the links to the repository first: a recursive delete must never reach through them.
        foreach (var link in new DirectoryInfo(Root).EnumerateDirectories().Where(d => d.LinkTarget is not null))
            link.Delete();
        Directory.Delete(Root, recursive: true);
    }
}
