using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NotebookEngine.Documents;
using NotebookEngine.Execution;

namespace NotebookEngine.Tests.Hardening;

/// <summary>Parameter names cannot inject code, values arrive exactly as given, duplicates are errors, reruns replace the injected cell.</summary>
public class HostileParameterTests
{
    public static TheoryData<string> HostileNames() =>
    [
        "", " ", "1abc", "a b", "a;b", "quick; System.IO.File.Delete(\"x\")", "x=1;y", "a-b", "a.b", "a/*c*/", "a//", "a\nb", "a\"b",
        "class", "int", "return", "new", "namespace", "@", "a)", "(a", "a{", "#r", "$x", "a+b", "a,b", "\u0000", "a\u2028b", "🙂", "a'b",
        "x = File.Delete(\"/\")", "null", "true",
    ];

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void A_name_that_is_not_a_CSharp_identifier_is_refused_before_any_code_is_written(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Parameters.Declaration("var quick = false;", name, "true"));

        Assert.Contains("is not a C# identifier", error.Message);
    }

    public static TheoryData<string> HostileValues() =>
    [
        "\"; System.Environment.Exit(1); var x = \"", "\\", "\\\"", "a\nb", "a\r\nb", "tab\there", "nul\u0000", "bell\u0007", "line\u2028sep",
        "para\u2029sep", "next\u0085line", "{0}", "{{x}}", "$\"{x}\"", "@\"x\"", "\"\"\"raw\"\"\"", "// comment", "/* open", "#r \"nuget: x\"",
        "🙂 emoji", "\ud800 lone surrogate", "\ufeffbom", "ünïcødé", new string('x', 10_000), "", " ", "'", "`", "\u001b[31mred",
    ];

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void A_string_value_becomes_one_literal_holding_exactly_that_value(string value)
    {
        // When
        var declaration = Parameters.Declaration("var name = \"default\";", "name", value);

        // Then: the declaration parses as one statement whose initializer is a string literal with the value
        var tree = CSharpSyntaxTree.ParseText(declaration, new CSharpParseOptions(kind: Microsoft.CodeAnalysis.SourceCodeKind.Script));
        Assert.Empty(tree.GetDiagnostics());
        var statement = Assert.Single(tree.GetCompilationUnitRoot().Members);
        var literal = statement.DescendantNodes().OfType<LiteralExpressionSyntax>().Single();
        Assert.Equal(value, literal.Token.ValueText);
    }

    [Theory]
    [InlineData("var epochs = 3;", "epochs", "3; Environment.Exit(1)")]
    [InlineData("var epochs = 3;", "epochs", "99999999999")]
    [InlineData("short s = 1;", "s", "40000")]
    [InlineData("byte b = 1;", "b", "-1")]
    [InlineData("var lr = 0.1;", "lr", "NaN")]
    [InlineData("var lr = 0.1;", "lr", "1e999")]
    [InlineData("var quick = false;", "quick", "true; Environment.Exit(1)")]
    public void A_value_that_does_not_fit_its_type_is_a_clear_error(string declarations, string name, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => Parameters.Declaration(declarations, name, value));

        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void A_name_given_twice_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => Parameters.Validate([new("quick", "true"), new("quick", "false")]));

        Assert.Contains("quick is given more than once", error.Message);
    }

    [Fact]
    public void Running_an_executed_notebook_again_replaces_its_injected_cell()
    {
        // Given
        var doc = NotebookDocument.CreateCSharp();
        doc.Cells.Add(NotebookCell.CreateCode("var quick = false;", "parameters"));
        doc.Cells.Add(NotebookCell.CreateCode("quick"));

        // When: three runs with -p, as an executed copy run again would get
        for (var i = 0; i < 3; i++)
            Parameters.Inject(doc, [new("quick", i % 2 == 0 ? "true" : "false")]);

        // Then
        var injected = Assert.Single(doc.Cells, c => c.Tags.Contains(Parameters.InjectedTag));
        Assert.Equal(1, doc.Cells.IndexOf(injected));
        Assert.Contains("var quick = true;", injected.Source);
        Assert.Equal(3, doc.Cells.Count);
    }
}
