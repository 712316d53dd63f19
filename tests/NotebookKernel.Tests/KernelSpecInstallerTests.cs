using System.Text.Json.Nodes;

namespace NotebookKernel.Tests;

public sealed class KernelSpecInstallerTests : IDisposable
{
    private readonly string _kernels = Directory.CreateTempSubdirectory("kernelspecs-").FullName;

    public void Dispose() => Directory.Delete(_kernels, recursive: true);

    private JsonObject Spec(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(_kernels, name, "kernel.json")))!.AsObject();

    [Fact]
    public void Install_writes_a_spec_named_like_polyglot_notebooks_that_launches_the_runner()
    {
        // Given an empty kernels folder, When the spec is installed
        var result = KernelSpecInstaller.Install(_kernels, "/opt/course/NotebookRunner.dll");

        // Then `.net-csharp/kernel.json` runs `dotnet <runner> kernel --connection-file {connection_file}` with message interrupts, and logos
        Assert.True(result.Installed, result.Message);
        var spec = Spec(".net-csharp");
        Assert.Equal(["dotnet", "/opt/course/NotebookRunner.dll", "kernel", "--connection-file", "{connection_file}"],
            spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());
        Assert.Equal("C#", spec["language"]!.GetValue<string>());
        // (one malloc heap for all threads: cells run on worker threads; see NativeAllocator.StartupEnvironment)
        Assert.Equal("1", spec["env"]!["MALLOC_ARENA_MAX"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(_kernels, ".net-csharp", "logo-64x64.png")));
        Assert.Contains(Path.Combine(_kernels, ".net-csharp"), result.Message);
    }

    [Fact]
    public void Install_keeps_an_existing_dotnet_interactive_spec_unless_forced()
    {
        // Given .NET Interactive's spec under the same name
        var dir = Directory.CreateDirectory(Path.Combine(_kernels, ".net-csharp")).FullName;
        const string interactive = """{"argv":["dotnet","interactive","jupyter","--default-kernel","csharp","{connection_file}"],"display_name":".NET (C#)","language":"C#"}""";
        File.WriteAllText(Path.Combine(dir, "kernel.json"), interactive.Replace("\"interactive\"", "\"Microsoft.DotNet.Interactive.App.dll\""));

        // When installing without --force
        var refused = KernelSpecInstaller.Install(_kernels, "/opt/NotebookRunner.dll");

        // Then it is left as it was, and the message names the options
        Assert.False(refused.Installed);
        Assert.Contains(".NET Interactive", refused.Message);
        Assert.Contains("--force", refused.Message);
        Assert.Contains("--name", refused.Message);
        Assert.Contains("Microsoft.DotNet.Interactive.App.dll", File.ReadAllText(Path.Combine(dir, "kernel.json")));

        // And with --force it is replaced
        var forced = KernelSpecInstaller.Install(_kernels, "/opt/NotebookRunner.dll", force: true);
        Assert.True(forced.Installed);
        Assert.Contains("replaced", forced.Message);
        Assert.Equal("/opt/NotebookRunner.dll", Spec(".net-csharp")["argv"]![1]!.GetValue<string>());
    }

    [Fact]
    public void The_dotnet_interactive_global_tool_spec_is_recognised()
    {
        // Given the spec `dotnet interactive jupyter install` writes
        var dir = Directory.CreateDirectory(Path.Combine(_kernels, ".net-csharp")).FullName;
        File.WriteAllText(Path.Combine(dir, "kernel.json"),
            """{"argv":["dotnet","interactive","jupyter","--default-kernel","csharp","{connection_file}","--http-port-range","2048-3000"],"display_name":".NET (C#)","language":"C#"}""");

        // When installing without --force, Then it is named as .NET Interactive's and kept
        var refused = KernelSpecInstaller.Install(_kernels, "/opt/NotebookRunner.dll");
        Assert.False(refused.Installed);
        Assert.Contains(".NET Interactive's kernel", refused.Message);
        Assert.Contains("\"interactive\"", File.ReadAllText(Path.Combine(dir, "kernel.json")));
    }

    [Fact]
    public void Install_updates_its_own_spec_and_can_use_another_name()
    {
        // Given this kernel's spec installed from an older build
        KernelSpecInstaller.Install(_kernels, "/old/NotebookRunner.dll");

        // When it is installed again, and once more under another name
        var again = KernelSpecInstaller.Install(_kernels, "/new/NotebookRunner.dll");
        var named = KernelSpecInstaller.Install(_kernels, "/new/NotebookRunner.dll", name: "csharp-course");

        // Then the first is updated without --force and the second sits beside it
        Assert.True(again.Installed);
        Assert.Contains("updated", again.Message);
        Assert.Equal("/new/NotebookRunner.dll", Spec(".net-csharp")["argv"]![1]!.GetValue<string>());
        Assert.True(named.Installed);
        Assert.True(File.Exists(Path.Combine(_kernels, "csharp-course", "kernel.json")));
    }

    [Fact]
    public void Prefix_scope_uses_share_jupyter_kernels()
    {
        Assert.Equal(Path.Combine("/tmp/env", "share", "jupyter", "kernels"), KernelSpecInstaller.KernelsDirectory(KernelSpecScope.Prefix, "/tmp/env"));
    }

    [Fact]
    public void The_install_command_says_what_it_did()
    {
        // Given a prefix, When `NotebookRunner kernel install --prefix P` runs
        var prefix = Path.Combine(_kernels, "prefix");
        var (code, output) = ChildProcess.Run("dotnet", [Python.Runner, "kernel", "install", "--prefix", prefix], TimeSpan.FromMinutes(2));

        // Then it writes P/share/jupyter/kernels/.net-csharp pointing at the runner it was run from, and says so
        Assert.True(code == 0, output);
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(prefix, "share", "jupyter", "kernels", ".net-csharp", "kernel.json")))!;
        Assert.Equal(Python.Runner, spec["argv"]![1]!.GetValue<string>());
        Assert.Contains("installed in " + Path.Combine(prefix, "share", "jupyter", "kernels", ".net-csharp"), output);
    }
}
