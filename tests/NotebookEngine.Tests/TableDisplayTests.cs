using System.Text.Json.Nodes;
using NotebookEngine.Execution;

namespace NotebookEngine.Tests;

/// <summary>Tables as .NET Interactive shows them: <c>DisplayTable()</c> by column, a DataFrame with an index column, without the course library.</summary>
[Collection(EngineCollection.Name)]
public class TableDisplayTests
{
    private readonly KernelSession _session = new(Path.GetTempPath());

    private static JsonObject Data(CellResult r, string type) =>
        Assert.Single(r.Outputs, o => o["output_type"]!.GetValue<string>() == type)["data"]!.AsObject();

    [Fact]
    public async Task DisplayTable_shows_one_column_per_property_and_one_row_per_item()
    {
        // Given a sequence of objects with two properties
        // When a cell displays it as a table
        var result = await _session.ExecuteAsync("new[] { new { Name = \"a\", Value = 1.5 }, new { Name = \"b\", Value = 2.0 } }.DisplayTable();");

        // Then the header holds the property names and each item is a row, in HTML and CSV (not an index/value list of objects)
        Assert.True(result.Succeeded, result.ErrorValue);
        var data = Data(result, "display_data");
        var html = data["text/html"]!.GetValue<string>();
        Assert.Contains("<thead><tr><td><span>Name</span></td><td><span>Value</span></td></tr></thead>", html);
        Assert.Contains("<tr><td>a</td>", html);
        Assert.DoesNotContain("<i>index</i>", html);
        Assert.Equal("Name,Value\na,1.5\nb,2\n", data["text/csv"]!.GetValue<string>().Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task A_DataFrame_is_an_html_table_without_the_course_library_and_a_formatter_registered_by_notebook_code_wins()
    {
        // Given Microsoft.Data.Analysis loaded by a cell, and no formatter registered for DataFrame by notebook code
        // When a cell's value is a DataFrame
        var result = await _session.ExecuteAsync(
            "#r \"nuget: Microsoft.Data.Analysis, 0.23.1\"\nusing Microsoft.Data.Analysis;\n" +
            "var df = new DataFrame(new StringDataFrameColumn(\"name\", new[] { \"a\", \"b\" }), new DoubleDataFrameColumn(\"value\", new[] { 1.5, 2.0 }));\ndf");

        // Then it shows as a table with an index column and one column per DataFrame column, as .NET Interactive's extension draws it
        Assert.True(result.Succeeded, result.ErrorValue);
        var html = Data(result, "execute_result")["text/html"]!.GetValue<string>();
        Assert.StartsWith("<table><thead><tr><th><i>index</i></th><th>name</th><th>value</th></tr></thead><tbody><tr><td><i>", html);
        Assert.Contains("<td>b</td><td><div class=\"dni-plaintext\"><pre>2</pre></div></td></tr></tbody></table>", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<style>"));

        // And when notebook code registers its own DataFrame formatter afterwards (as the course library's setup does)
        await _session.ExecuteAsync("Microsoft.DotNet.Interactive.Formatting.Formatter.Register<DataFrame>(d => $\"<p>{d.Rows.Count} rows</p>\", \"text/html\");");
        try
        {
            // Then that one is used
            Assert.Equal("<p>2 rows</p>", Data(await _session.ExecuteAsync("df"), "execute_result")["text/html"]!.GetValue<string>());
        }
        finally
        {
            // (the engine's table back, for later tests in this process: formatters are process-wide)
            var dataFrame = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType("Microsoft.Data.Analysis.DataFrame")).First(t => t is not null)!;
            Microsoft.DotNet.Interactive.Formatting.Formatter.Register(dataFrame, (v, w) => w.Write(DataFrameFormatter.ToHtml(v)), "text/html");
        }
    }
}
