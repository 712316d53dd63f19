using NotebookEngine.Documents;
using NotebookEngine.Execution;

namespace NotebookEngine.Tests;

public class ParametersAndDirectivesTests
{
    [Theory]
    [InlineData("var quick = false;", "quick", "true", "var quick = true;")]
    [InlineData("var epochs = 3;", "epochs", "10", "var epochs = 10;")]
    [InlineData("var lr = 0.1;", "lr", "1", "var lr = 1.0;")]
    [InlineData("double lr = 0.1;", "lr", "0.05", "double lr = 0.05;")]
    [InlineData("var name = \"a\";", "name", "say \"hi\"", "var name = \"say \\\"hi\\\"\";")]
    [InlineData("float scale = 2f;", "scale", "0.5", "float scale = 0.5f;")]
    [InlineData("", "undeclared", "7", "var undeclared = 7;")]
    [InlineData("", "label", "text", "var label = \"text\";")]
    public void Injected_values_are_typed_like_the_declaration(string declarations, string name, string value, string expected) =>
        Assert.Equal(expected, Parameters.Declaration(declarations, name, value));

    [Fact]
    public void A_value_that_does_not_fit_the_declared_type_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Parameters.Declaration("var epochs = 3;", "epochs", "many"));

        Assert.Contains("epochs is declared int", error.Message);
    }

    [Theory]
    [InlineData(typeof(bool), "yes", true)]
    [InlineData(typeof(int), "10", 10)]
    [InlineData(typeof(long), "-3", -3L)]
    [InlineData(typeof(double), "1", 1.0)]
    [InlineData(typeof(double), "1e-3", 1e-3)]
    [InlineData(typeof(float), "0.1", 0.1f)]
    [InlineData(typeof(int?), "7", 7)]
    [InlineData(typeof(string), "say \"hi\"", "say \"hi\"")]
    public void Values_given_at_run_time_are_what_the_injected_literal_would_hold(Type type, string value, object expected)
    {
        // Given a value from the command line of a program (an exported app) for a variable of a given type
        // When it is converted at run time
        var converted = Parameters.Value(type, "p", value);

        // Then it is the value the injected declaration's literal has (a float read from its own text, as the compiler reads 0.1f)
        Assert.Equal(expected, converted);
    }

    [Fact]
    public void A_run_time_value_that_does_not_fit_its_type_is_the_same_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Parameters.Value(typeof(int), "epochs", "ten"));
        Assert.Equal(Assert.Throws<ArgumentException>(() => Parameters.Declaration("var epochs = 3;", "epochs", "ten")).Message, error.Message);
        Assert.Contains("only bool, numbers and strings", Assert.Throws<ArgumentException>(() => Parameters.Value(typeof(DateTime), "when", "now")).Message);
    }

    [Fact]
    public void The_injected_cell_follows_the_parameters_cell()
    {
        // Given
        var doc = NotebookDocument.CreateCSharp();
        doc.Cells.Add(NotebookCell.CreateCode("using System;"));
        doc.Cells.Add(NotebookCell.CreateCode("var quick = false;", "parameters"));
        doc.Cells.Add(NotebookCell.CreateCode("quick"));

        // When
        var at = Parameters.Inject(doc, [new("quick", "true")]);

        // Then
        Assert.Equal(2, at);
        Assert.Contains("injected-parameters", doc.Cells[2].Tags);
        Assert.Contains("var quick = true;", doc.Cells[2].Source);
    }

    [Fact]
    public void Directives_are_hoisted_and_code_keeps_its_line_numbers()
    {
        // Given
        const string cell = "var a = 1;\n#r \"nuget: Foo, 1.2.3\"\n  #!time\nvar b = 2;\n#if DEBUG\n#endif";

        // When
        var (directives, code) = Directives.Parse(cell);

        // Then
        Assert.Equal(["r", "time"], directives.Select(d => d.Kind));
        Assert.Equal(2, directives[0].Line);
        Assert.Equal("var a = 1;\n\n\nvar b = 2;\n#if DEBUG\n#endif", code);
    }

    [Theory]
    [InlineData("nuget: TorchSharp-cpu, 0.107.0", "TorchSharp-cpu", "0.107.0")]
    [InlineData("nuget:Plotly.NET", "Plotly.NET", null)]
    public void NuGet_references_parse_with_and_without_version(string argument, string name, string? version)
    {
        Assert.True(Directives.TryParseNuGet(argument, out var n, out var v));
        Assert.Equal((name, version), (n, v));
    }
}
