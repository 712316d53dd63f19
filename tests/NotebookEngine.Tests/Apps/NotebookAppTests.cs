using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive;
using NotebookEngine.Apps;

namespace NotebookEngine.Tests.Apps;

/// <summary>The host of an exported file-based app: its command line, and displays as console text and files.</summary>
[Collection(EngineCollection.Name)] // it routes displays process-wide while it runs, as the engine's sessions do
public class NotebookAppTests
{
    [Theory]
    [InlineData("quick=true")]
    [InlineData("--quick=true")]
    [InlineData("--quick", "true")]
    [InlineData("-p", "quick=true")]
    public void Parameters_are_given_as_name_value_pairs_in_any_usual_form(params string[] args)
    {
        var given = NotebookApp.ParseArguments(args, ["quick", "seed"], out var help);

        Assert.False(help);
        Assert.Equal("true", given["quick"]);
        Assert.Single(given);
    }

    [Fact]
    public void An_unknown_repeated_or_malformed_parameter_is_refused_with_the_notebooks_parameters()
    {
        Assert.Contains("unknown parameter epochs; this notebook's parameters: quick, seed",
            Assert.Throws<ArgumentException>(() => NotebookApp.ParseArguments(["epochs=3"], ["quick", "seed"], out _)).Message);
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(() => NotebookApp.ParseArguments(["seed=1", "seed=2"], ["seed"], out _)).Message);
        Assert.Contains("is not name=value", Assert.Throws<ArgumentException>(() => NotebookApp.ParseArguments(["quick"], ["quick"], out _)).Message);
    }

    [Fact]
    public void Displays_are_printed_as_text_and_written_as_files_and_metrics_json_is_written_at_the_end()
    {
        // Given an app's host (its file in a fresh folder) with a parameter on its command line and a metrics source
        var folder = Directory.CreateTempSubdirectory("nbapp").FullName;
        var metrics = new Dictionary<string, double> { ["accuracy"] = 0.5 };
        var console = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(console);
        string output;
        try
        {
            using (var app = NotebookApp.Start(["seed=3"], "no-such-folder", ["seed"], () => metrics, Path.Combine(folder, "demo.cs")))
            {
                // When the app's code reads its parameter, displays HTML with an inline PNG, and updates a display
                Assert.Equal(3, app.Parameter("seed", 0));
                Assert.Equal(0.25, app.Parameter("lr", 0.25));
                Kernel.display(new HtmlString("<b>bold</b><img src=\"data:image/png;base64,iVBORw0KGgo=\">"));
                var shown = "first".Display();
                shown.Update("second");
                metrics["accuracy"] = 0.75;
                output = app.OutputFolder;
            }
        }
        finally
        {
            Console.SetOut(previous);
        }

        // Then each display's text went to the console, its HTML and PNG to files, and metrics.json holds the final values
        Assert.Equal(Path.Combine(folder, "demo-output"), output);
        var text = console.ToString();
        Assert.Contains("<b>bold</b>", text);
        Assert.Contains("demo-output/display-001.html, demo-output/display-001-1.png", text);
        Assert.Contains("first\n", text);
        Assert.Contains("second\n", text);
        Assert.Contains("<b>bold</b>", File.ReadAllText(Path.Combine(output, "display-001.html")));
        Assert.Equal(Convert.FromBase64String("iVBORw0KGgo="), File.ReadAllBytes(Path.Combine(output, "display-001-1.png")));
        Assert.Equal(0.75, JsonNode.Parse(File.ReadAllText(Path.Combine(output, NotebookApp.MetricsFile)))!["accuracy"]!.GetValue<double>());
        Directory.Delete(folder, recursive: true);
    }
}
