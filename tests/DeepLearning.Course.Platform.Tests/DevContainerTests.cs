using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeepLearning.Course.Platform.Tests;

/// <summary>
/// The dev container definitions (.devcontainer/) validate against environment/devcontainer.schema.json with
/// ajv (node), and say what the course needs. No Docker engine is needed. The node modules come from
/// .ci/package.json; .ci/run installs them (or run `npm ci --prefix .ci`).
/// </summary>
public class DevContainerTests
{
    private static readonly string[] Definitions = [".devcontainer/devcontainer.json", ".devcontainer/gpu/devcontainer.json"];

    [Fact]
    public void The_dev_container_definitions_are_valid_against_the_schema()
    {
        // Given the CPU and GPU dev container definitions
        // When they are validated with ajv
        var (exit, output) = Validate(Definitions);
        // Then both are valid
        Assert.True(exit == 0, output);
        Assert.Contains(".devcontainer/devcontainer.json: valid", output);
        Assert.Contains(".devcontainer/gpu/devcontainer.json: valid", output);
    }

    [Fact]
    public void The_validator_rejects_a_definition_with_a_typo_and_a_wrong_type()
    {
        // Given a definition with a misspelt lifecycle command and runArgs as a string
        var broken = Path.Combine(Path.GetTempPath(), $"devcontainer-{Guid.NewGuid():N}.json");
        File.WriteAllText(broken, """
            // comments are allowed (JSONC)
            { "image": "mcr.microsoft.com/devcontainers/dotnet:10.0-noble", "postCreateComand": "x", "runArgs": "--gpus all" }
            """);
        try
        {
            // When it is validated
            var (exit, output) = Validate([broken]);
            // Then both mistakes are reported and the exit code says so
            Assert.Equal(1, exit);
            Assert.Contains("'postCreateComand'", output);
            Assert.Contains("/runArgs must be array", output);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void The_CPU_definition_has_the_course_SDK_extensions_and_a_Release_build()
    {
        // Given the CPU definition
        var json = ReadJsonc(".devcontainer/devcontainer.json");
        // Then it runs .NET 10 on Ubuntu 24.04, installs the Jupyter and C# extensions, and builds Release once
        Assert.Equal("mcr.microsoft.com/devcontainers/dotnet:10.0-noble", (string?)json["image"]);
        var extensions = json["customizations"]!["vscode"]!["extensions"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal<string>(["ms-toolsai.jupyter", "ms-dotnettools.csharp"], extensions);
        var postCreate = (string?)json["postCreateCommand"];
        Assert.Contains("dotnet restore DeepLearningCourse.slnx", postCreate);
        Assert.Contains("dotnet build DeepLearningCourse.slnx -c Release", postCreate);
    }

    [Fact]
    public void The_GPU_definition_passes_the_GPUs_through()
    {
        // Given the GPU definition
        var json = ReadJsonc(".devcontainer/gpu/devcontainer.json");
        // Then docker gets --gpus all and the host must have a GPU
        Assert.Equal<string>(["--gpus", "all"], json["runArgs"]!.AsArray().Select(e => (string)e!).ToList());
        Assert.True((bool?)json["hostRequirements"]!["gpu"]);
    }

    private static JsonNode ReadJsonc(string relativePath) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot, relativePath)), documentOptions: new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
        })!;

    private static (int ExitCode, string Output) Validate(IEnumerable<string> files)
    {
        var modules = Path.Combine(RepoRoot, ".ci", "node_modules");
        foreach (var module in new[] { "ajv", "ajv-formats", "jsonc-parser" })
        {
            Assert.True(Directory.Exists(Path.Combine(modules, module)),
                $"node module '{module}' is missing from {modules}: run .ci/run, or `npm ci --prefix .ci` (needs node and npm).");
        }
        var start = new ProcessStartInfo("node", [".ci/validate-json.mjs", "environment/devcontainer.schema.json", .. files])
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"cannot run node ({e.Message}): install Node.js 18 or later (apt-get install nodejs npm).");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }

    private static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DeepLearningCourse.slnx"))) return dir.FullName;
            }
            throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
        }
    }
}
