using System.IO.Compression;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NotebookEngine.Execution;
using NotebookEngine.Packages;

namespace NotebookEngine.Tests;

[Collection(EngineCollection.Name)]
public class PackageSourceTests
{
    [Fact]
    public async Task A_folder_source_from_i_serves_a_local_package_to_r_nuget()
    {
        // Given: a folder feed holding a hand-made package, and a fresh restore cache
        var root = Directory.CreateTempSubdirectory("nbfeed").FullName;
        var feed = Directory.CreateDirectory(Path.Combine(root, "feed")).FullName;
        const string version = "1.0.0"; // fixed: the global packages folder then holds one copy, reused across runs
        WritePackage(Path.Combine(feed, $"Fixture.LocalGreeter.{version}.nupkg"), "Fixture.LocalGreeter", version);
        var session = new KernelSession(root, new PackageRestorer(Path.Combine(root, "cache")));

        // When: the source is relative to the notebook folder
        var result = await session.ExecuteAsync($"#i \"nuget: feed\"\n#r \"nuget: Fixture.LocalGreeter, {version}\"\nLocalGreeter.Hello()");

        // Then
        Assert.True(result.Succeeded, result.ErrorValue);
        Assert.Equal("hello from a local feed", result.Outputs.Last()["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal(version, session.ResolvedPackages["Fixture.LocalGreeter"]);
    }

    [Fact]
    public async Task Library_code_finds_Kernel_display_by_reflection_and_displays_through_the_engine()
    {
        // Given: what the course library does (finds Kernel.display by reflection, as in Polyglot)
        var session = new KernelSession(Path.GetTempPath());
        const string code = """
            var kernel = AppDomain.CurrentDomain.GetAssemblies()
                .Select(a => a.GetType("Microsoft.DotNet.Interactive.Kernel"))
                .First(t => t is not null);
            kernel.GetMethod("display").Invoke(null, new object[] { "via reflection", new[] { "text/plain" } });
            """;

        // When
        var result = await session.ExecuteAsync(code);

        // Then
        var output = Assert.Single(result.Outputs);
        Assert.Equal("display_data", output["output_type"]!.GetValue<string>());
        Assert.Equal("via reflection", output["data"]!["text/plain"]!.GetValue<string>());
    }

    private static void WritePackage(string path, string id, string version)
    {
        var tree = CSharpSyntaxTree.ParseText("public static class LocalGreeter { public static string Hello() => \"hello from a local feed\"; }");
        var compilation = CSharpCompilation.Create(id, [tree],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var nuspec = new StreamWriter(zip.CreateEntry($"{id}.nuspec").Open()))
        {
            nuspec.Write($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata>
                    <id>{id}</id>
                    <version>{version}</version>
                    <authors>tests</authors>
                    <description>fixture</description>
                  </metadata>
                </package>
                """);
        }
        using var dll = zip.CreateEntry($"lib/net8.0/{id}.dll").Open();
        Assert.True(compilation.Emit(dll).Success);
    }
}
