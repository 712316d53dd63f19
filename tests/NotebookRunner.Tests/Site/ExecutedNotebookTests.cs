using NotebookEngine.Documents;
using NotebookRunner.Site;

namespace NotebookRunner.Tests.Site;

/// <summary>What the course page takes from a chapter: its title and what it is about.</summary>
public class ExecutedNotebookTests
{
    private static ExecutedNotebook Chapter(params string[] markdown)
    {
        var doc = NotebookDocument.CreateCSharp();
        doc.Cells.Add(NotebookCell.CreateCode("#!import ../kernels/setup.dib"));
        foreach (var source in markdown)
            doc.Cells.Add(new NotebookCell { CellType = "markdown", Source = source });
        return new ExecutedNotebook("notebooks/04-rnn.ipynb", doc);
    }

    [Fact]
    public void The_summary_is_the_first_paragraph_after_the_title_without_a_lead_in_to_a_list()
    {
        // Given an intro as the chapters write it: a paragraph ending in "In this chapter you will:", then a list
        var chapter = Chapter("""
            # 04 — Recurrent *networks*

            Sequences are different. A **recurrent network** reads a sequence one step at a time
            and carries a state. In this chapter you will:

            - forecast a time series;
            """);

        // When / Then: plain text on one line, the lead-in dropped
        Assert.Equal("04 — Recurrent networks", chapter.Title);
        Assert.Equal("Sequences are different. A recurrent network reads a sequence one step at a time and carries a state.", chapter.Summary);
    }

    [Fact]
    public void The_summary_skips_lists_tables_and_math_and_is_empty_without_prose()
    {
        // Given
        var withProse = Chapter("# Title\n\n| a | b |\n|---|---|\n\n$$x$$\n\n- item\n\nThe prose.");
        var withoutProse = Chapter("# Title\n\n- only a list");

        // When / Then
        Assert.Equal("The prose.", withProse.Summary);
        Assert.Equal("", withoutProse.Summary);
    }
}
