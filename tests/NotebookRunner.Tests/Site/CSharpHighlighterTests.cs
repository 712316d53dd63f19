using NotebookRunner.Site;

namespace NotebookRunner.Tests.Site;

public class CSharpHighlighterTests
{
    [Fact]
    public void Comments_directives_strings_and_keywords_are_marked_and_everything_is_escaped()
    {
        // Given
        var source = "#r \"nuget: TorchSharp-cpu, 0.107.0\"\nvar x = a < b; // compare <here>\nstring s = @\"C:\\\"\"q\"\"\";";

        // When
        var html = CSharpHighlighter.Highlight(source);

        // Then
        Assert.Equal(
            "<span class=\"directive\">#r &quot;nuget: TorchSharp-cpu, 0.107.0&quot;</span>\n"
            + "<span class=\"keyword\">var</span> x = a &lt; b; <span class=\"comment\">// compare &lt;here&gt;</span>\n"
            + "<span class=\"keyword\">string</span> s = <span class=\"string\">@&quot;C:\\&quot;&quot;q&quot;&quot;&quot;</span>;",
            html);
    }
}
