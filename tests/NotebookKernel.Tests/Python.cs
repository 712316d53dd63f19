namespace NotebookKernel.Tests;

/// <summary>Runs Debian's Python (<c>/usr/bin/python3</c>) and its Jupyter tools for the real-client tests.</summary>
internal static class Python
{
    /// <summary>The Debian packages the real-client tests need.</summary>
    public const string AptPackages = "python3-jupyter-client jupyter-nbconvert python3-nbclient python3-nbformat";

    public static string Runner => Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll");

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "scripts", name);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    /// <summary>Fails with the apt command when the Python packages are missing.</summary>
    public static void Require(params string[] modules)
    {
        var probe = Run(["-c", string.Join("; ", modules.Select(m => $"import {m}"))], TimeSpan.FromMinutes(1));
        Assert.True(probe.Code == 0,
            $"Debian's Jupyter Python packages are required for this test (missing: {string.Join(", ", modules)}):\n" +
            $"    apt-get update && apt-get install -y {AptPackages}\n{probe.Output}");
    }

    public static (int Code, string Output) Run(IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        ChildProcess.Run("/usr/bin/python3", args, timeout, environment, workingDirectory);
}
