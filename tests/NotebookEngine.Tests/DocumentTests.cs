using System.Text.Json.Nodes;
using NotebookEngine.Documents;

namespace NotebookEngine.Tests;

public class DocumentTests
{
    private const string VsCodeNotebook = """
        {
         "cells": [
          {"cell_type": "markdown", "metadata": {}, "source": "# Title"},
          {"cell_type": "code", "execution_count": null,
           "metadata": {"dotnet_interactive": {"language": "csharp"}, "polyglot_notebook": {"kernelName": "csharp"}, "custom": {"keep": true}},
           "outputs": [], "source": ["var x = 1;\n", "x"]},
          {"cell_type": "code", "execution_count": null, "metadata": {"dotnet_interactive": {"language": "fsharp"}}, "outputs": [], "source": ["1 + 1"]}
         ],
         "metadata": {
          "kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
          "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"aliases": [], "name": "csharp"}]}},
          "unknown_tool": {"setting": 42}
         },
         "nbformat": 4,
         "nbformat_minor": 4
        }
        """;

    [Fact]
    public void Reads_sources_given_as_a_string_or_a_list_of_lines()
    {
        // Given / When
        var doc = IpynbFormat.Read(VsCodeNotebook);

        // Then
        Assert.Equal("# Title", doc.Cells[0].Source);
        Assert.Equal("var x = 1;\nx", doc.Cells[1].Source);
    }

    [Fact]
    public void Reads_each_cells_kernel_from_polyglot_or_dotnet_interactive_metadata()
    {
        var doc = IpynbFormat.Read(VsCodeNotebook);

        Assert.Equal("csharp", doc.DefaultKernelName);
        Assert.Equal("csharp", doc.Cells[1].KernelName);
        Assert.Equal("fsharp", doc.Cells[2].KernelName);
    }

    [Fact]
    public void Writing_back_keeps_unknown_metadata_and_the_format_version()
    {
        // Given
        var doc = IpynbFormat.Read(VsCodeNotebook);

        // When
        var written = JsonNode.Parse(IpynbFormat.Write(doc))!;

        // Then
        Assert.Equal(42, written["metadata"]!["unknown_tool"]!["setting"]!.GetValue<int>());
        Assert.True(written["cells"]![1]!["metadata"]!["custom"]!["keep"]!.GetValue<bool>());
        Assert.Equal(4, written["nbformat_minor"]!.GetValue<int>());
        Assert.Null(written["cells"]![1]!["id"]); // ids exist only from nbformat 4.5
    }

    [Fact]
    public void Notebooks_in_format_4_5_get_cell_ids()
    {
        var doc = NotebookDocument.CreateCSharp();
        doc.Cells.Add(NotebookCell.CreateCode("1"));

        var written = JsonNode.Parse(IpynbFormat.Write(doc))!;

        Assert.False(string.IsNullOrEmpty(written["cells"]![0]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public void Dib_blocks_split_on_kernel_lines_but_not_on_magic_commands()
    {
        // Given
        const string dib = """
            #!meta

            {"kernelInfo":{"defaultKernelName":"csharp","items":[{"aliases":[],"name":"csharp"}]}}

            #!markdown

            # Hello

            #!csharp

            #!time
            var a = 1;

            #!fsharp

            let b = 2
            """;

        // When
        var doc = DibFormat.Read(dib);

        // Then
        Assert.Equal(3, doc.Cells.Count);
        Assert.Equal("markdown", doc.Cells[0].CellType);
        Assert.Equal("#!time\nvar a = 1;", doc.Cells[1].Source);
        Assert.Equal("csharp", doc.Cells[1].KernelName);
        Assert.Equal("fsharp", doc.Cells[2].KernelName);
        Assert.Equal("csharp", doc.DefaultKernelName);
    }

    [Fact]
    public void Dib_round_trips_through_its_writer()
    {
        var doc = DibFormat.Read("#!csharp\n\nvar a = 1;\n\n#!markdown\n\ntext\n");

        var again = DibFormat.Read(DibFormat.Write(doc));

        Assert.Equal(doc.Cells.Select(c => (c.CellType, c.Source)), again.Cells.Select(c => (c.CellType, c.Source)));
    }

    [Fact]
    public void Saving_is_atomic_and_leaves_no_temporary_file()
    {
        var dir = Directory.CreateTempSubdirectory("nbdoc").FullName;
        var path = Path.Combine(dir, "a.ipynb");
        var doc = NotebookDocument.CreateCSharp();

        NotebookFile.SaveAtomically(doc, path);
        NotebookFile.SaveAtomically(doc, path);

        Assert.Equal(["a.ipynb"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }
}
