using DeepLearning.Course.Data;
using DeepLearning.Course.Interactive;

namespace DeepLearning.Course.Tests.Interactive;

public class PublishedResultsTests
{
    [Fact]
    public void Every_anchor_appears_in_REFERENCES_md_with_the_same_value_what_and_source()
    {
        // Given the repository's REFERENCES.md
        var root = DatasetPaths.FindRepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
        var lines = File.ReadAllLines(Path.Combine(root, "REFERENCES.md"));
        // Then each anchor of the library's catalogue has exactly one line there, written the same way
        foreach (var anchor in PublishedResults.All)
        {
            var line = Assert.Single(lines, l => l.StartsWith($"- `{anchor.Id}`:", StringComparison.Ordinal));
            Assert.Equal($"- `{anchor.Id}`: **{anchor.Value}** — {anchor.What}. Source: {anchor.Source}.", line);
        }
        // ... and REFERENCES.md has no anchor line the library lacks
        var ids = PublishedResults.All.Select(a => a.Id).ToHashSet();
        var listed = lines.Where(l => l.StartsWith("- `", StringComparison.Ordinal) && l.Contains("`: **")).Select(l => l.Split('`')[1]);
        Assert.All(listed, id => Assert.Contains(id, ids));
    }

    [Fact]
    public void Anchor_ids_are_unique_and_every_anchor_has_a_source()
    {
        Assert.Equal(PublishedResults.All.Count, PublishedResults.All.Select(a => a.Id).Distinct().Count());
        Assert.All(PublishedResults.All, a => Assert.False(string.IsNullOrWhiteSpace(a.Source)));
    }
}
