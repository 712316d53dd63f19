namespace NotebookRunner.Tests;

/// <summary>The runner reaches host infrastructure through the platform project, never through the helper library.</summary>
public class RunnerReferencesTests
{
    [Fact]
    public void The_runner_references_the_platform_assembly_and_not_the_library()
    {
        // Given the runner's assembly
        var runner = typeof(NotebookRunner.Site.SiteRenderer).Assembly;

        // When its references are listed
        var names = runner.GetReferencedAssemblies().Select(a => a.Name).ToList();

        // Then
        Assert.Contains("DeepLearning.Course.Platform", names);
        Assert.DoesNotContain("DeepLearning.Course", names);
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "DeepLearning.Course.dll")), "the library was copied beside the runner");
    }
}
